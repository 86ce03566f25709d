using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator;

internal static partial class SimulatorLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Portal simulator listening on {Address} for {ChainCount} chains (seed {Seed}, day {Day})")]
    public static partial void Started(ILogger logger, Uri address, int chainCount, int seed, DateOnly day);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated Cerberus login refused for user {User}: {Reason}")]
    public static partial void LoginRefused(ILogger logger, string user, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated portal has no file {FileName}")]
    public static partial void UnknownFile(ILogger logger, string fileName);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Simulated signed link to {FileName} refused: expired at {Expiry}")]
    public static partial void LinkExpired(ILogger logger, string fileName, string expiry);
}
