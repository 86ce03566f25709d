using Gogobe.Core.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Where Gogobe's spans and metrics go. Nothing is exported unless asked: OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set (the exporter then reads every standard <c>OTEL_EXPORTER_OTLP_*</c> variable itself: protocol, headers,
/// timeout, per-signal endpoints), the console exporter when <c>--otel-console</c> is given. Without either, no
/// provider is built and the <see cref="GogobeTelemetry"/> instruments stay unsubscribed, i.e. free.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "gogobe";

    /// <summary>The standard variable that turns OTLP export on.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static bool OtlpConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(OtlpEndpointVariable));

    /// <summary>Gogobe's spans with the HTTP client's (portal requests) and Npgsql's (database commands) under them.</summary>
    public static TracerProviderBuilder AddGogobeInstrumentation(this TracerProviderBuilder builder) =>
        builder.AddSource(GogobeTelemetry.Name).AddHttpClientInstrumentation().AddNpgsql();

    /// <summary>Gogobe's meter, plus the runtime's and the HTTP client's built-in meters (already measured; only subscribed here).</summary>
    public static MeterProviderBuilder AddGogobeInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(GogobeTelemetry.Name).AddMeter("System.Runtime").AddHttpClientInstrumentation();

    /// <summary>
    /// For <c>gogobe run</c>, a plain CLI without a generic host: builds the providers itself. Dispose the result at the
    /// end of the run: disposing flushes the last spans and a final metric collection. Null when nothing is exported.
    /// </summary>
    public static IDisposable? StartForCli(bool console)
    {
        var otlp = OtlpConfigured;
        if (!console && !otlp)
        {
            return null;
        }

        var tracing = Sdk.CreateTracerProviderBuilder().ConfigureResource(Describe).AddGogobeInstrumentation();
        var metrics = Sdk.CreateMeterProviderBuilder().ConfigureResource(Describe).AddGogobeInstrumentation();
        Export(tracing, metrics, console, otlp);
        return new Providers(tracing.Build(), metrics.Build());
    }

    /// <summary>
    /// For <c>gogobe serve</c>: the same instrumentation plus ASP.NET Core's, registered on the host's services (the host
    /// starts and flushes the providers). Registers nothing when nothing is exported.
    /// </summary>
    public static IServiceCollection AddGogobeTelemetry(this IServiceCollection services, bool console)
    {
        ArgumentNullException.ThrowIfNull(services);
        var otlp = OtlpConfigured;
        if (!console && !otlp)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(Describe)
            .WithTracing(tracing => Export(tracing.AddGogobeInstrumentation().AddAspNetCoreInstrumentation(), null, console, otlp))
            .WithMetrics(metrics => Export(null, metrics.AddGogobeInstrumentation().AddAspNetCoreInstrumentation(), console, otlp));
        return services;
    }

    private static void Export(TracerProviderBuilder? tracing, MeterProviderBuilder? metrics, bool console, bool otlp)
    {
        if (console)
        {
            tracing?.AddConsoleExporter();
            metrics?.AddConsoleExporter();
        }

        if (otlp)
        {
            // No options: the exporter configures itself from the standard OTEL_EXPORTER_OTLP_* variables.
            tracing?.AddOtlpExporter();
            metrics?.AddOtlpExporter();
        }
    }

    // OTEL_SERVICE_NAME, when set, names the service as the specification says; otherwise it is "gogobe".
    private static void Describe(ResourceBuilder resource) =>
        resource.AddService(Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? ServiceName);

    private sealed class Providers(TracerProvider tracer, MeterProvider meter) : IDisposable
    {
        public void Dispose()
        {
            tracer.Dispose();
            meter.Dispose();
        }
    }
}
