using Gogobe.Host.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gogobe.Host.Api;

/// <summary>
/// <c>GET /alive</c>: the process serves requests. <c>GET /health</c>: it can do its work — PostgreSQL answers and the
/// schema is migrated. Both answer <c>Healthy</c> (200) or <c>Unhealthy</c> (503) in plain text, within seconds even when
/// PostgreSQL is down. Neither is under <c>/api</c>, so probes need no token.
/// </summary>
internal static class HealthApi
{
    private const string LiveTag = "live";
    private const string ReadyTag = "ready";

    /// <summary>Longest a check may take before it counts as unhealthy.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddGogobeHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), tags: [LiveTag])
            .AddCheck<DatabaseHealthCheck>("database", failureStatus: HealthStatus.Unhealthy, tags: [ReadyTag], timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) });
        endpoints.MapHealthChecks("/health", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
