using System.Security.Cryptography;
using System.Text;
using Gogobe.Host.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Api;

/// <summary>
/// Guards <c>/api</c>: requests that change something (anything but GET, HEAD, OPTIONS) need
/// <c>Authorization: Bearer &lt;Gogobe:Server:Token&gt;</c> whenever a token is configured — which start-up validation
/// insists on as soon as any listen address is not loopback — and reads need it too with
/// <c>Gogobe:Server:ProtectReadEndpoints</c>. Refusals are 401 ProblemDetails with <c>WWW-Authenticate: Bearer</c>.
/// </summary>
internal sealed class ApiTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly IProblemDetailsService _problems;
    private readonly byte[]? _tokenHash;
    private readonly bool _protectReads;

    public ApiTokenMiddleware(RequestDelegate next, IOptions<ServerOptions> options, IProblemDetailsService problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        _next = next;
        _problems = problems;
        var server = options.Value;
        _tokenHash = string.IsNullOrWhiteSpace(server.Token) ? null : Hash(server.Token);
        _protectReads = server.ProtectReadEndpoints;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method);
        var guarded = request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            && _tokenHash is not null
            && (!isRead || _protectReads);
        if (!guarded || Presented(request) is { } presented && CryptographicOperations.FixedTimeEquals(Hash(presented), _tokenHash))
        {
            await _next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await _problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = "This endpoint needs the header 'Authorization: Bearer <token>' with the token configured as Gogobe:Server:Token.",
            },
        }).ConfigureAwait(false);
    }

    private static string? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
    }

    // Hashing first gives both sides the same length, so the comparison's time says nothing about the token's length.
    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
