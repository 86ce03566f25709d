using Gogobe.Host.Configuration;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Api;

/// <summary>
/// Refuses a request whose declared body is over <c>Gogobe:Server:MaxRequestBodyBytes</c> at once, with a 413
/// ProblemDetails. Kestrel's own limit (set from the same option) only trips while a body is read, and most endpoints
/// never read theirs; this also covers those, so an oversized request is refused before it does anything.
/// </summary>
internal sealed class RequestSizeMiddleware(RequestDelegate next, IOptions<ServerOptions> options, IProblemDetailsService problems)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength is not { } length || length <= _limit)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Request body too large",
                Detail = $"The body may be at most {_limit} bytes (Gogobe:Server:MaxRequestBodyBytes).",
            },
        }).ConfigureAwait(false);
    }
}
