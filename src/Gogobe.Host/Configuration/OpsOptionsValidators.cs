using Microsoft.Extensions.Options;

namespace Gogobe.Host.Configuration;

/// <summary>
/// Validators for the operational sections (log files, shutdown, worker processes), written like the others: every
/// message names the full key and the value it had.
/// </summary>
internal sealed class LogsOptionsValidator : IValidateOptions<LogsOptions>
{
    /// <summary>Below this a file would roll every few lines: surely a unit mistake (bytes, not megabytes).</summary>
    public const long MinimumFileSizeBytes = 4 * 1024;

    public ValidateOptionsResult Validate(string? name, LogsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{LogsOptions.Section}:FileSizeLimitBytes", options.FileSizeLimitBytes, MinimumFileSizeBytes);
        failures.AtLeast($"{LogsOptions.Section}:RetainedFiles", options.RetainedFiles, 1);
        if (!Enum.IsDefined(options.MinimumLevel) || options.MinimumLevel == LogLevel.None)
        {
            failures.Add($"{LogsOptions.Section}:MinimumLevel must be Trace, Debug, Information, Warning, Error or Critical (was {options.MinimumLevel}).");
        }

        if (options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            failures.Add($"{LogsOptions.Section}:Directory is not a valid path ('{options.Directory}').");
        }

        return failures.ToResult();
    }
}

internal sealed class ShutdownOptionsValidator : IValidateOptions<ShutdownOptions>
{
    public ValidateOptionsResult Validate(string? name, ShutdownOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{ShutdownOptions.Section}:GraceSeconds", options.GraceSeconds, 1);
        return failures.ToResult();
    }
}

internal sealed class WorkersOptionsValidator : IValidateOptions<WorkersOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{WorkersOptions.Section}:Processes", options.Processes, 0);
        if (options.InitialBackoffSeconds is <= 0 or double.NaN)
        {
            failures.Add($"{WorkersOptions.Section}:InitialBackoffSeconds must be more than 0 (was {options.InitialBackoffSeconds}).");
        }

        if (!(options.MaxBackoffSeconds >= options.InitialBackoffSeconds))
        {
            failures.Add($"{WorkersOptions.Section}:MaxBackoffSeconds must be at least InitialBackoffSeconds (was {options.MaxBackoffSeconds}).");
        }

        if (options.StableAfterSeconds is <= 0 or double.NaN)
        {
            failures.Add($"{WorkersOptions.Section}:StableAfterSeconds must be more than 0 (was {options.StableAfterSeconds}).");
        }

        return failures.ToResult();
    }
}
