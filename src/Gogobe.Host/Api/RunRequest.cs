using System.Text.Json;
using Gogobe.Core.Scraping;

namespace Gogobe.Host.Api;

/// <summary>
/// The body of <c>POST /api/runs</c>, all optional: <c>{"chains": ["Rami Levy", "7290027600007"], "force": false}</c>
/// (chains by name, class or id, as <c>gogobe run --chain</c> takes them; none = every registered chain). No body is a
/// run of every chain. Anything else is refused with the problem named, so a mistyped request never starts a run.
/// </summary>
internal sealed record RunRequest(IReadOnlyList<SupermarketScraper>? Chains, bool Force)
{
    private const string Example = "{\"chains\": [\"Rami Levy\"], \"force\": false}";

    /// <summary>The request, or the one sentence saying what is wrong with the body.</summary>
    public static async Task<(RunRequest? Request, string? Problem)> ReadAsync(HttpRequest http, ScraperRegistry registry, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(http.Body);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(body))
        {
            return (new RunRequest(null, Force: false), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return (null, $"The body is not valid JSON ({ex.Message}). Send {Example}, or no body for every chain.");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"The body must be a JSON object such as {Example}, not {Kind(document.RootElement)}.");
            }

            List<string>? names = null;
            var force = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name.ToLowerInvariant())
                {
                    case "chains" when property.Value.ValueKind == JsonValueKind.Array
                        && property.Value.EnumerateArray().All(n => n.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(n.GetString())):
                        names = [.. property.Value.EnumerateArray().Select(n => n.GetString()!.Trim())];
                        break;
                    case "chains":
                        return (null, $"\"chains\" must be an array of chain names (strings), not {Kind(property.Value)}.");
                    case "force" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        force = property.Value.GetBoolean();
                        break;
                    case "force":
                        return (null, $"\"force\" must be true or false, not {Kind(property.Value)}.");
                    default:
                        return (null, $"Unknown property \"{property.Name}\": a run takes \"chains\" and \"force\".");
                }
            }

            if (names is null || names.Count == 0)
            {
                return (new RunRequest(null, force), null);
            }

            var unknown = registry.Unmatched(names);
            return unknown.Count > 0
                ? (null, $"Unknown chains: {string.Join(", ", unknown.Select(n => $"\"{n}\""))}. Known chains: {string.Join(", ", registry.Scrapers.Select(s => s.Chain.Name))}.")
                : (new RunRequest(registry.Select(names), force), null);
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
