namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Logs</c>: the log files (per run, per chain, and the whole host as JSON lines) and their rotation.</summary>
internal sealed class LogsOptions
{
    public const string Section = "Gogobe:Logs";

    /// <summary>The folder of the log files (relative to the working directory); empty turns log files off.</summary>
    public string Directory { get; set; } = Environment.GetEnvironmentVariable("GOGOBE_LOG_DIR") is { Length: > 0 } dir ? dir : Path.Combine("data", "logs");

    /// <summary>A file rolls over to the next (<c>name_001.log</c>, ...) at this size.</summary>
    public long FileSizeLimitBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>Files kept per log (the current one included); the oldest is deleted past it.</summary>
    public int RetainedFiles { get; set; } = 10;

    /// <summary>The lowest level written to the files (Trace, Debug, Information, Warning, Error, Critical).</summary>
    public LogLevel MinimumLevel { get; set; } = LogLevel.Information;
}
