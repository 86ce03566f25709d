using Gogobe.Host.Configuration;
using Gogobe.Host.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Console logging for the CLI verbs: warnings and errors only, since progress has its own lines. Polly's own events
/// (each with a stack trace) stay off the console: the portal pipeline logs every retry and circuit change in one line.
/// </summary>
internal static class ConsoleLogging
{
    /// <summary>The console as <see cref="Create(LogLevel)"/> has it, plus the log files (at their own level).</summary>
    public static ILoggerFactory Create(LogsOptions files) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter<ConsoleLoggerProvider>("Polly", LogLevel.None)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            })
            .AddGogobeLogFiles(files));

    public static ILoggerFactory Create(LogLevel minimum = LogLevel.Warning) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(minimum)
            .AddFilter<ConsoleLoggerProvider>("Polly", LogLevel.None)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            }));
}
