using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// Shufersal's files live on an Azure blob host behind signed links (sv, sr, sig, se). The simulator signs its links
/// with a per-run key and refuses a link whose signature does not match, or whose expiry (<c>se</c>, the simulator's
/// clock plus <see cref="SimulatorOptions.SignedLinkLifetime"/> when listed) has passed, as the blob host does (403
/// AuthenticationFailed).
/// </summary>
internal sealed class BlobLinks(SimulatorOptions options)
{
    public const string Host = "pricesprodpublic.blob.core.windows.net";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Set once the server knows its port (links are absolute).</summary>
    public Uri? BaseAddress { get; set; }

    public Uri LinkFor(string fileName, FileKind kind, DateOnly day)
    {
        var container = Container(kind);
        _ = day; // the link is valid for a while from when it is handed out, whatever day the file is of
        var expiry = (options.Time.GetUtcNow() + options.SignedLinkLifetime).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var query = $"sv=2014-02-14&sr=b&sig={Uri.EscapeDataString(Sign(container, fileName, expiry))}&se={Uri.EscapeDataString(expiry)}";
        var baseAddress = BaseAddress ?? throw new InvalidOperationException("The simulator has not started yet.");
        return new Uri(baseAddress, $"{Host}/{container}/{Uri.EscapeDataString(fileName)}?{query}");
    }

    public void Map(IEndpointRouteBuilder routes, SimulatedWorld world, ILogger logger) =>
        routes.MapGet("/" + Host + "/{container}/{name}", async context =>
        {
            var container = context.Request.RouteValues["container"]?.ToString() ?? "";
            var name = context.Request.RouteValues["name"]?.ToString() ?? "";
            var sig = context.Request.Query["sig"].ToString();
            var expiry = context.Request.Query["se"].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(sig), Encoding.ASCII.GetBytes(Sign(container, name, expiry))))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>",
                    context.RequestAborted).ConfigureAwait(false);
                return;
            }

            if (!DateTimeOffset.TryParse(expiry, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires)
                || options.Time.GetUtcNow() > expires)
            {
                SimulatorLog.LinkExpired(logger, name, expiry);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync(
                    "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time [" + expiry
                    + "] must be after the current time. Signature not valid in the specified time frame.</Message></Error>",
                    context.RequestAborted).ConfigureAwait(false);
                return;
            }

            var chainId = world.ChainOfFile(name);
            if (chainId is null || !world.IsServed(chainId, name) || !world.TryDescribe(chainId, name, out var file) || Container(file.Kind) != container)
            {
                SimulatorLog.UnknownFile(logger, name);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = "application/octet-stream";
            await world.WriteFileAsync(chainId, name, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });

    private static string Container(FileKind kind) => kind.ToString().ToLowerInvariant();

    private string Sign(string container, string name, string expiry) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{container}\n{name}\n{expiry}")));
}
