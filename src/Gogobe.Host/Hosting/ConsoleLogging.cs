using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Hosting;

/// <summary>Console logging for the CLI verbs: warnings and errors only, since progress has its own lines.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Warning) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            }));
}
