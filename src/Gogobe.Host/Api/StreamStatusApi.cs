using System.Globalization;
using System.Net.ServerSentEvents;
using Gogobe.Host.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gogobe.Host.Api;

/// <summary>
/// <c>GET /api/stream-status</c>: the dashboard's live event stream (server-sent events: fleet, metrics, log, run, db).
/// Every client reads from the one <see cref="StatusBroadcaster"/>; a reconnect with <c>Last-Event-ID</c> resumes the log.
/// </summary>
internal static class StreamStatusApi
{
    public static IEndpointRouteBuilder MapStreamStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/stream-status", Stream);
        return endpoints;
    }

    private static ServerSentEventsResult<string> Stream(HttpContext context, StatusBroadcaster broadcaster)
    {
        var lastEventId = long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : (long?)null;
        // Proxies must not buffer the stream.
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        return TypedResults.ServerSentEvents(broadcaster.SubscribeAsync(lastEventId, context.RequestAborted));
    }
}
