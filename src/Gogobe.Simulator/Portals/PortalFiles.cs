using Gogobe.Core.Files;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>What the chains' own sites share: the files of one day, and a plain download that honours withdrawn files.</summary>
internal static class PortalFiles
{
    /// <summary>
    /// The files the chain lists for <paramref name="day"/>: today's (none while the chain is in
    /// <see cref="SimulatorOptions.UnpublishedToday"/>), or yesterday's where the site keeps them; nothing for other days.
    /// </summary>
    public static List<PublishedName> OnDay(SimulatedWorld world, string chainId, DateOnly day)
    {
        if (day == world.Day && world.Options.UnpublishedToday.Contains(chainId))
        {
            return [];
        }

        return [.. world.PublishedFiles(chainId, includeHistory: true).Where(f => f.Day == day)];
    }

    /// <summary>Serves the file named by the route's <c>{name}</c>; see <see cref="ServeAsync"/>.</summary>
    public static Task DownloadAsync(HttpContext context, SimulatedWorld world, string chainId, ILogger logger) =>
        ServeAsync(context, world, chainId, context.Request.RouteValues["name"]?.ToString() ?? "", logger);

    /// <summary>Serves one generated file as is, or 404 for a name not published or withdrawn (<see cref="SimulatedWorld.WithdrawFile"/>).</summary>
    public static async Task ServeAsync(HttpContext context, SimulatedWorld world, string chainId, string name, ILogger logger)
    {
        if (!world.IsServed(chainId, name))
        {
            SimulatorLog.UnknownFile(logger, name);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await world.WriteFileAsync(chainId, name, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The kind's usual size in KB: files are generated on download, so listings that show a size ("12.42 KB", Laib's
    /// "562.84 KB", a bare KB number) show this label.
    /// </summary>
    public static double SizeKilobytes(SimulatedWorld world, FileKind kind) => Math.Max(0.1, kind switch
    {
        FileKind.PriceFull => world.Options.ItemsPerStore * 0.12,
        FileKind.Price => world.Options.ItemsPerStore * 0.02,
        FileKind.Stores => world.Options.StoresPerChain * 0.1,
        _ => world.Options.ItemsPerStore * 0.01,
    });

    /// <summary>The route prefix standing for a real address: <c>/host/path</c> without a trailing slash.</summary>
    public static string Prefix(Uri address) => "/" + address.Host + address.AbsolutePath.TrimEnd('/');
}
