using Microsoft.Extensions.Logging;

namespace Gogobe.Storage;

/// <summary>Source-generated log messages of the storage layer.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "PostgreSQL programs: initdb {InitDb}, pg_ctl {PgCtl}")]
    public static partial void FoundBinaries(this ILogger logger, string initDb, string pgCtl);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Initialising a new PostgreSQL cluster in {DataDirectory}")]
    public static partial void InitializingCluster(this ILogger logger, string dataDirectory);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Reusing the PostgreSQL server already running on {DataDirectory} (port {Port})")]
    public static partial void ReusingServer(this ILogger logger, string dataDirectory, int port);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Starting PostgreSQL on 127.0.0.1:{Port} (data {DataDirectory}, log {LogFile})")]
    public static partial void StartingServer(this ILogger logger, int port, string dataDirectory, string logFile);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Port {Port} was taken before PostgreSQL could bind it; trying another port")]
    public static partial void PortTaken(this ILogger logger, int port);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Stopping PostgreSQL on port {Port} ({DataDirectory})")]
    public static partial void StoppingServer(this ILogger logger, int port, string dataDirectory);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Created database {Database}")]
    public static partial void CreatedDatabase(this ILogger logger, string database);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Applied migration {Version:0000} {Name}")]
    public static partial void AppliedMigration(this ILogger logger, int version, string name);
}
