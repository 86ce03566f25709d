using System.Diagnostics.CodeAnalysis;
using Gogobe.Core.Diagnostics;
using Gogobe.Host.Configuration;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;
using Serilog.Extensions.Logging;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace Gogobe.Host.Logging;

/// <summary>
/// The log files: per run and per chain (routed by the <see cref="LogScope"/> properties the orchestrator's scopes put
/// on every line), each as text for people and as JSON lines for tools, plus one JSON-lines file of the whole process.
/// Serilog (with its File and Map sinks) does the writing: size-based rotation with a bounded file count, files shared
/// between processes, and idle per-key files closed, none of which is worth hand-writing.
/// </summary>
internal static class LogFiles
{
    /// <summary>Per-run and per-chain files open at once; the least recently used closes past it (runs come and go).</summary>
    private const int OpenFilesPerKind = 16;

    /// <summary>Lays out "Chain: message" in a run's text file (empty for run-level lines); not written to JSON.</summary>
    public const string ChainSeparatorProperty = "ChainSeparator";

    private const string RunTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] {Chain}{ChainSeparator}{Message:l}{NewLine}{Exception}";
    private const string ChainTemplate = "{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz} [{Level:u3}] run {RunId}: {Message:l}{NewLine}{Exception}";

    /// <summary>Adds the log-file provider to <paramref name="logging"/>; nothing when the folder option is empty.</summary>
    /// <remarks>
    /// The files take <see cref="LogsOptions.MinimumLevel"/> whatever the console's level: the console shows warnings
    /// (progress has its own lines), the files keep the whole story. Framework chatter stays at warnings.
    /// </remarks>
    public static ILoggingBuilder AddGogobeLogFiles(this ILoggingBuilder logging, LogsOptions options)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return logging;
        }

        logging.AddSerilog(CreateLogger(options), dispose: true);
        logging.AddFilter<SerilogLoggerProvider>(null, options.MinimumLevel);
        // Polly logs every execution attempt at Information; retries and open circuits are logged by Gogobe.Http.
        foreach (var category in (string[])["Microsoft", "System", "Polly"])
        {
            logging.AddFilter<SerilogLoggerProvider>(category, Max(options.MinimumLevel, LogLevel.Warning));
        }

        logging.AddFilter<SerilogLoggerProvider>("Microsoft.Hosting.Lifetime", options.MinimumLevel);
        return logging;
    }

    /// <summary>The Serilog pipeline behind the files (public for tests that drive it directly).</summary>
    public static Serilog.Core.Logger CreateLogger(LogsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var layout = new LogFileLayout(options.Directory);
        var rotation = new Rotation(options.FileSizeLimitBytes, options.RetainedFiles);
        var json = new JsonLinesFormatter();
        var configuration = new LoggerConfiguration().MinimumLevel.Is(ToSerilog(options.MinimumLevel));
        rotation.File(configuration.WriteTo, json, layout.HostJsonPath);
        configuration.WriteTo.Map<string>(
            RunKey,
            (run, to) =>
            {
                rotation.File(to, new MessageTemplateTextFormatter(RunTemplate), layout.RunPath(run, LogFileLayout.TextExtension));
                rotation.File(to, json, layout.RunPath(run, LogFileLayout.JsonExtension));
            },
            sinkMapCountLimit: OpenFilesPerKind);
        configuration.WriteTo.Map<string>(
            ChainKey,
            (chain, to) =>
            {
                rotation.File(to, new MessageTemplateTextFormatter(ChainTemplate), layout.ChainPath(chain, LogFileLayout.TextExtension));
                rotation.File(to, json, layout.ChainPath(chain, LogFileLayout.JsonExtension));
            },
            sinkMapCountLimit: OpenFilesPerKind);
        // "Chain: message" in a run's file, just "message" for run-level lines.
        configuration.Enrich.With(new ChainSeparatorEnricher());
        return configuration.CreateLogger();
    }

    private static bool RunKey(LogEvent logEvent, [MaybeNullWhen(false)] out string key) => TryKey(logEvent, LogScope.RunId, out key);

    private static bool ChainKey(LogEvent logEvent, [MaybeNullWhen(false)] out string key) => TryKey(logEvent, LogScope.ChainKey, out key);

    private static bool TryKey(LogEvent logEvent, string property, [MaybeNullWhen(false)] out string key)
    {
        // A Guid (an event's own RunId) or a string (the scope's): both render as the same key.
        if (logEvent.Properties.TryGetValue(property, out var value) && value is ScalarValue { Value: { } raw } && raw.ToString() is { Length: > 0 } text)
        {
            key = LogFileLayout.SafeKey(text);
            return true;
        }

        key = null;
        return false;
    }

    private static LogLevel Max(LogLevel a, LogLevel b) => a > b ? a : b;

    public static LogEventLevel ToSerilog(LogLevel level) => level switch
    {
        LogLevel.Trace => LogEventLevel.Verbose,
        LogLevel.Debug => LogEventLevel.Debug,
        LogLevel.Information => LogEventLevel.Information,
        LogLevel.Warning => LogEventLevel.Warning,
        LogLevel.Error => LogEventLevel.Error,
        _ => LogEventLevel.Fatal,
    };

    private sealed record Rotation(long FileSizeLimitBytes, int RetainedFiles)
    {
        // shared: several processes (serve and its workers, two workers on one chain's log) append to the same files.
        public void File(LoggerSinkConfiguration to, ITextFormatter formatter, string path) =>
            to.File(formatter, path, fileSizeLimitBytes: FileSizeLimitBytes, rollOnFileSizeLimit: true,
                retainedFileCountLimit: RetainedFiles, shared: true);
    }

    private sealed class ChainSeparatorEnricher : Serilog.Core.ILogEventEnricher
    {
        private static readonly LogEventProperty Separator = new(ChainSeparatorProperty, new ScalarValue(": "));
        private static readonly LogEventProperty None = new(ChainSeparatorProperty, new ScalarValue(string.Empty));

        public void Enrich(LogEvent logEvent, Serilog.Core.ILogEventPropertyFactory propertyFactory) =>
            logEvent.AddPropertyIfAbsent(logEvent.Properties.ContainsKey(LogScope.Chain) ? Separator : None);
    }
}
