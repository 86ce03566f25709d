using Microsoft.Extensions.Logging;

namespace Gogobe.Host.Http;

internal static partial class HttpLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Host}: {Outcome}; retry {Attempt} of {MaxRetries} in {Seconds:0.###} s")]
    public static partial void Retrying(ILogger logger, string host, string outcome, int attempt, int maxRetries, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Host}: circuit opened for {Seconds:0.###} s after {Outcome}; its requests fail at once until then")]
    public static partial void CircuitOpened(ILogger logger, string host, double seconds, string outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Host}: circuit closed, calls resume")]
    public static partial void CircuitClosed(ILogger logger, string host);
}
