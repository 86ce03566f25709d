using System.Globalization;
using System.Text.Json;

namespace Gogobe.Host.Logging;

/// <summary>One line of a JSON-lines log file, as <see cref="JsonLinesFormatter"/> wrote it.</summary>
internal sealed record LogLine(DateTimeOffset Time, LogLevel Level, string Message, string? Chain, string? ChainKey, string? RunId, string? Exception)
{
    /// <summary>The line, or null when it is not a log object (a torn or foreign line is skipped, not fatal).</summary>
    public static LogLine? Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("@t", out var t) || !t.TryGetDateTimeOffset(out var time))
            {
                return null;
            }

            return new LogLine(
                time,
                root.TryGetProperty("@l", out var l) ? ParseLevel(l.GetString()) ?? LogLevel.Information : LogLevel.Information,
                Text(root, "@m") ?? string.Empty,
                Text(root, "Chain"),
                Text(root, "ChainKey"),
                Text(root, "RunId"),
                Text(root, "@x"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Serilog's level names and the Microsoft.Extensions.Logging ones, plus the usual short forms.</summary>
    public static LogLevel? ParseLevel(string? level) => level?.ToUpperInvariant() switch
    {
        "VERBOSE" or "TRACE" or "TRC" or "VRB" => LogLevel.Trace,
        "DEBUG" or "DBG" => LogLevel.Debug,
        "INFORMATION" or "INFO" or "INF" => LogLevel.Information,
        "WARNING" or "WARN" or "WRN" => LogLevel.Warning,
        "ERROR" or "ERR" => LogLevel.Error,
        "FATAL" or "CRITICAL" or "FTL" or "CRT" => LogLevel.Critical,
        _ => null,
    };

    /// <summary>The line as <c>gogobe logs</c> prints it.</summary>
    public string Format()
    {
        var level = Level switch
        {
            LogLevel.Trace => "TRC",
            LogLevel.Debug => "DBG",
            LogLevel.Information => "INF",
            LogLevel.Warning => "WRN",
            LogLevel.Error => "ERR",
            _ => "FTL",
        };
        var chain = Chain is null ? string.Empty : $"[{Chain}] ";
        var line = string.Create(CultureInfo.InvariantCulture, $"{Time.UtcDateTime:yyyy-MM-dd HH:mm:ss.fff}Z {level} {chain}{Message}");
        return Exception is null ? line : line + Environment.NewLine + Exception;
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;
}

/// <summary>Which lines <c>gogobe logs</c> prints.</summary>
internal sealed record LogFilter(LogLevel MinimumLevel, DateTimeOffset? Since, string? ChainKey)
{
    public bool Matches(LogLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Level >= MinimumLevel
            && (Since is not { } since || line.Time >= since)
            && (ChainKey is null || string.Equals(line.ChainKey, ChainKey, StringComparison.Ordinal));
    }
}
