using System.CommandLine;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Cli;

/// <summary>
/// The log-file and shutdown settings for the verbs that do not build a web host (<c>run</c>, <c>logs</c>, a worker):
/// read from the same sources as <c>gogobe serve</c> (appsettings.json, environment, then <c>--log-dir</c>) and
/// validated by the same validators.
/// </summary>
internal sealed record OpsSettings(LogsOptions Logs, ShutdownOptions Shutdown)
{
    public static Option<string?> LogDir { get; } = new("--log-dir")
    {
        Description = "Folder of the log files (Gogobe:Logs:Directory; default: GOGOBE_LOG_DIR, else ./data/logs); empty for none.",
    };

    /// <summary>The settings, or the one line naming what is invalid.</summary>
    public static (OpsSettings? Settings, string? Failure) Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var configuration = new ConfigurationManager();
        GogobeConfiguration.Compose(configuration, AppContext.BaseDirectory, CommandLine(parse));
        var logs = GogobeConfiguration.Read<LogsOptions>(configuration, LogsOptions.Section);
        var shutdown = GogobeConfiguration.Read<ShutdownOptions>(configuration, ShutdownOptions.Section);
        var failures = Failures(new LogsOptionsValidator().Validate(null, logs)).Concat(Failures(new ShutdownOptionsValidator().Validate(null, shutdown))).ToList();
        return failures.Count == 0
            ? (new OpsSettings(logs, shutdown), null)
            : (null, "Invalid configuration: " + string.Join(" ", failures));
    }

    /// <summary><c>--log-dir</c> as the configuration key it overrides, when given.</summary>
    public static Dictionary<string, string?> CommandLine(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (parse.GetResult(LogDir) is { Implicit: false } dir)
        {
            settings[$"{LogsOptions.Section}:Directory"] = dir.GetValueOrDefault<string?>() ?? string.Empty;
        }

        return settings;
    }

    private static IEnumerable<string> Failures(ValidateOptionsResult result) => result.Failed ? result.Failures ?? [] : [];
}
