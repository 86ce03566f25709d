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
/// with a per-run key and refuses a link whose signature does not match, as the blob host does.
/// </summary>
internal sealed class BlobLinks
{
    public const string Host = "pricesprodpublic.blob.core.windows.net";
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>Set once the server knows its port (links are absolute).</summary>
    public Uri? BaseAddress { get; set; }

    public Uri LinkFor(string fileName, FileKind kind, DateOnly day)
    {
        var container = Container(kind);
        var expiry = day.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T05:00:00Z";
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

            var chainId = world.ChainOfFile(name);
            if (chainId is null || !world.TryDescribe(chainId, name, out var file) || Container(file.Kind) != container)
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
