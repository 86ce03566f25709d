using System.Net;
using System.Reflection;
using Gogobe.Core.Scraping;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Http;

/// <summary>
/// The HTTP clients of one run. <c>IHttpClientFactory</c> owns one pooled pipeline shared by every chain:
/// <see cref="HostThrottleHandler"/> (per-host slots and politeness) → the resilience pipeline of the request's host
/// (<see cref="PortalResilience"/>, one per portal: the request's host and the chain asking, so one portal's circuit
/// never opens another's, even when they share a host, as the 13 Cerberus chains do and every simulated portal does) → a
/// <see cref="SocketsHttpHandler"/> with the proxy, no cookies, no redirects and no decompression (the reader detects
/// gzip/zip by their bytes). Each chain's client adds its own <see cref="CookieSessionHandler"/> on top: a fresh cookie
/// jar per chain run. Time is always the system clock here: the retry and politeness waits are real waits, whatever
/// clock the run's "today" comes from.
/// </summary>
internal sealed class PortalHttpClients : IDisposable
{
    private const string ClientName = "portal";

    private static readonly string DefaultUserAgent =
        $"Gogobe/{typeof(PortalHttpClients).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0"} (+price-transparency ingestion)";

    private readonly ServiceProvider _services;
    private readonly IHttpMessageHandlerFactory _handlers;

    private PortalHttpClients(ServiceProvider services, string userAgent)
    {
        _services = services;
        _handlers = services.GetRequiredService<IHttpMessageHandlerFactory>();
        UserAgent = userAgent;
    }

    /// <summary>The chain a request is for, set by its <see cref="CookieSessionHandler"/>: with the host, its circuit breaker's key.</summary>
    public static readonly HttpRequestOptionsKey<string> PortalKey = new("Gogobe.Portal");

    public string UserAgent { get; }

    /// <param name="options">Timeouts, retries, circuit breaker, politeness (validated by <see cref="PortalHttpOptionsValidator"/>).</param>
    /// <param name="proxy">HTTP proxy; null for a direct connection (<paramref name="options"/>' <c>Proxy</c> is not read here: the caller decides, e.g. never for the simulator).</param>
    /// <param name="perHostConcurrency">Requests in flight at once to one host, bodies included.</param>
    public static PortalHttpClients Create(PortalHttpOptions options, Uri? proxy, int perHostConcurrency, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentOutOfRangeException.ThrowIfLessThan(perHostConcurrency, 1);
        var time = TimeProvider.System;
        var throttle = new HostThrottle(perHostConcurrency, options.PolitenessDelay, time);
        var logger = loggerFactory.CreateLogger("Gogobe.Http");
        var services = new ServiceCollection();
        services.AddSingleton(loggerFactory);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        services.AddSingleton(time);
        services.AddHttpClient(ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = options.ConnectTimeout,
                MaxConnectionsPerServer = perHostConcurrency,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                Proxy = proxy is null ? null : new WebProxy(proxy),
                UseProxy = proxy is not null,
            })
            .AddHttpMessageHandler(() => new HostThrottleHandler(throttle, options))
            .AddResilienceHandler("portal", (builder, context) => PortalResilience.Configure(builder, options, context.InstanceName, logger, time))
            .SelectPipelineBy(_ => request => request.RequestUri?.GetLeftPart(UriPartial.Authority)
                + (request.Options.TryGetValue(PortalKey, out var chain) ? $" (chain {chain})" : ""));
        var userAgent = string.IsNullOrWhiteSpace(options.UserAgent) ? DefaultUserAgent : options.UserAgent.Trim();
        return new PortalHttpClients(services.BuildServiceProvider(), userAgent);
    }

    /// <summary>A client for one chain run: the shared pipeline under a cookie jar of its own.</summary>
    public HttpClient CreateClient(Chain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var session = new CookieSessionHandler(new CookieContainer(), chain.Id) { InnerHandler = _handlers.CreateHandler(ClientName) };
        // The pipeline's timeouts govern the headers and the idle timeout the body; HttpClient's own would cut long downloads.
        var client = new HttpClient(session, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", UserAgent);
        return client;
    }

    public void Dispose() => _services.Dispose();
}
