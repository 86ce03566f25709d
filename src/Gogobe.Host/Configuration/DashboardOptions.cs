using Microsoft.Extensions.Options;

namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Dashboard</c>: how often the live event stream's producer polls the database.</summary>
internal sealed class DashboardOptions
{
    public const string Section = "Gogobe:Dashboard";

    /// <summary>Seconds between <c>metrics</c> events (and log polls).</summary>
    public int MetricsSeconds { get; set; } = 1;

    /// <summary>Seconds between <c>fleet</c> events.</summary>
    public int FleetSeconds { get; set; } = 3;
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{DashboardOptions.Section}:MetricsSeconds", options.MetricsSeconds, 1);
        failures.AtLeast($"{DashboardOptions.Section}:FleetSeconds", options.FleetSeconds, 1);
        return failures.ToResult();
    }
}
