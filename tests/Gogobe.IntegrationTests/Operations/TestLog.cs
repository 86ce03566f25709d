using Microsoft.Extensions.Logging;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>The lines the log-file tests write (source-generated, as the build requires).</summary>
internal static partial class TestLog
{
    [LoggerMessage(LogLevel.Information, "line {Number} {Padding}")]
    public static partial void Line(ILogger logger, int number, string padding);

    [LoggerMessage(LogLevel.Information, "{Text}")]
    public static partial void Info(ILogger logger, string text);

    [LoggerMessage(LogLevel.Warning, "{Text}")]
    public static partial void Warn(ILogger logger, string text);

    [LoggerMessage(LogLevel.Debug, "{Text}")]
    public static partial void Debug(ILogger logger, string text);
}
