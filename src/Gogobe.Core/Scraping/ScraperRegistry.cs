using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace Gogobe.Core.Scraping;

/// <summary>
/// Every concrete <see cref="SupermarketScraper"/> in the process, found by reflection: there is no list of
/// chains to keep by hand. A new chain is a new subclass with a public parameterless constructor.
/// </summary>
public sealed class ScraperRegistry
{
    private ScraperRegistry(IReadOnlyList<SupermarketScraper> scrapers) => Scrapers = scrapers;

    /// <summary>Scrapers ordered by chain name.</summary>
    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    /// <summary>
    /// Scans the application's assemblies that build on Gogobe.Core. They are loaded first: the CLR loads assemblies
    /// lazily, and the compiler drops references to assemblies whose types are never named in code, so a chain
    /// assembly nobody names (the normal case) is found through the application's dependency manifest (deps.json).
    /// </summary>
    public static ScraperRegistry Discover()
    {
        var assemblies = LoadScraperAssemblies();
        var types = assemblies.SelectMany(LoadableTypes)
            .Where(t => t is { IsClass: true, IsAbstract: false } && t.IsSubclassOf(typeof(SupermarketScraper)))
            .Distinct();
        return FromTypes(types);
    }

    /// <summary>Builds a registry from the given scraper types (each needs a public parameterless constructor).</summary>
    public static ScraperRegistry FromTypes(IEnumerable<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var scrapers = new List<SupermarketScraper>();
        foreach (var type in types)
        {
            if (type.GetConstructor(Type.EmptyTypes) is null)
            {
                throw new InvalidOperationException(
                    $"Scraper {type.FullName} needs a public parameterless constructor so the registry can create it.");
            }

            scrapers.Add((SupermarketScraper)Activator.CreateInstance(type)!);
        }

        var clash = scrapers.GroupBy(s => s.Chain.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
        {
            throw new InvalidOperationException(
                $"Chain id {clash.Key} is claimed by more than one scraper: {string.Join(", ", clash.Select(s => s.GetType().FullName))}.");
        }

        return new ScraperRegistry([.. scrapers.OrderBy(s => s.Chain.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    /// <summary>
    /// The scrapers whose chain name, class name or chain id matches one of <paramref name="selectors"/>
    /// (case-insensitive); all of them when none is given. An unknown selector is an error, not an empty run.
    /// </summary>
    public IReadOnlyList<SupermarketScraper> Select(IReadOnlyCollection<string> selectors)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        if (selectors.Count == 0)
        {
            return Scrapers;
        }

        var chosen = new List<SupermarketScraper>();
        foreach (var selector in selectors)
        {
            var match = Scrapers.Where(s => Matches(s, selector)).ToList();
            if (match.Count == 0)
            {
                throw new ArgumentException(
                    $"No registered chain matches '{selector}'. Known chains: {string.Join(", ", Scrapers.Select(s => s.Chain.Name))}.",
                    nameof(selectors));
            }

            chosen.AddRange(match.Where(m => !chosen.Contains(m)));
        }

        return chosen;
    }

    /// <summary>The selectors no registered chain matches (by name, class name or id), in the order given.</summary>
    public IReadOnlyList<string> Unmatched(IEnumerable<string> selectors) =>
        [.. selectors.Where(selector => !Scrapers.Any(s => Matches(s, selector)))];

    private static bool Matches(SupermarketScraper scraper, string selector) =>
        string.Equals(scraper.Chain.Name, selector, StringComparison.OrdinalIgnoreCase)
        || string.Equals(scraper.GetType().Name, selector, StringComparison.OrdinalIgnoreCase)
        || string.Equals(scraper.Chain.Id, selector, StringComparison.Ordinal);

    private static List<Assembly> LoadScraperAssemblies()
    {
        var core = typeof(SupermarketScraper).Assembly.GetName().Name!;
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && BuildsOn(a, core))
            .ToDictionary(a => a.GetName().Name ?? string.Empty, StringComparer.Ordinal);

        var manifest = DependencyContext.Default?.RuntimeLibraries ?? [];
        foreach (var library in manifest.Where(l => l.Dependencies.Any(d => d.Name == core) && !assemblies.ContainsKey(l.Name)))
        {
            foreach (var name in library.GetDefaultAssemblyNames(DependencyContext.Default!))
            {
                var assembly = Assembly.Load(name);
                assemblies.TryAdd(assembly.GetName().Name ?? name.FullName, assembly);
            }
        }

        return [.. assemblies.Values];
    }

    private static bool BuildsOn(Assembly assembly, string core) =>
        assembly.GetName().Name == core || assembly.GetReferencedAssemblies().Any(r => r.Name == core);

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.Where(t => t is not null)!;
        }
    }
}
