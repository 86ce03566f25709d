using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>Serving one generated file the way the date-listing portals (Bina, Laib, PublishPrice) do: 404 unless served now.</summary>
internal static class PortalFiles
{
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
}
