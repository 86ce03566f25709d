using System.Net;

namespace Gogobe.Host.Http;

/// <summary>
/// One chain run's portal session: its own cookie jar, and redirects followed here rather than in the shared
/// connection pool. <c>IHttpClientFactory</c> pools the primary handler across clients, so cookies cannot live there
/// (chains would share sessions); and a login answers with a redirect that sets the session cookie, so redirects must
/// be followed where the cookies are kept. The final response's <see cref="HttpResponseMessage.RequestMessage"/> is the
/// last request, as with the platform's own redirects (scrapers read where a login landed). Every request carries the
/// chain's <paramref name="portalKey"/> (<see cref="PortalHttpClients.PortalKey"/>), which picks its resilience pipeline.
/// </summary>
internal sealed class CookieSessionHandler(CookieContainer cookies, string portalKey) : DelegatingHandler
{
    private const int MaxRedirects = 10;

    public CookieContainer Cookies { get; } = cookies;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = request;
        for (var redirects = 0; ; redirects++)
        {
            var address = current.RequestUri ?? throw new InvalidOperationException("A portal request needs an absolute address.");
            current.Options.Set(PortalHttpClients.PortalKey, portalKey);
            var header = Cookies.GetCookieHeader(address);
            if (header.Length > 0)
            {
                current.Headers.Remove("Cookie");
                current.Headers.TryAddWithoutValidation("Cookie", header);
            }

            var response = await base.SendAsync(current, cancellationToken).ConfigureAwait(false);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    try
                    {
                        Cookies.SetCookies(address, setCookie);
                    }
                    catch (CookieException)
                    {
                        // A malformed cookie is the portal's problem; browsers drop it too.
                    }
                }
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            if (redirects == MaxRedirects)
            {
                response.Dispose();
                throw new HttpRequestException($"{request.RequestUri}: more than {MaxRedirects} redirects.");
            }

            var next = Follow(current, new Uri(address, location), response.StatusCode);
            response.Dispose();
            current = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>The request a browser makes next: 307/308 repeat the method and body, the others become a GET.</summary>
    private static HttpRequestMessage Follow(HttpRequestMessage previous, Uri target, HttpStatusCode status)
    {
        var keep = status is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
        var next = new HttpRequestMessage(keep ? previous.Method : HttpMethod.Get, target)
        {
            Version = previous.Version,
            VersionPolicy = previous.VersionPolicy,
            Content = keep ? previous.Content : null,
        };
        var sameHost = string.Equals(previous.RequestUri?.Authority, target.Authority, StringComparison.OrdinalIgnoreCase);
        foreach (var header in previous.Headers)
        {
            // Cookies come from the jar for the new address; credentials never follow to another host.
            if (header.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase)
                || (!sameHost && header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            next.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return next;
    }
}
