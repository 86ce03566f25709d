using Gogobe.Core.Supervision;

namespace Gogobe.Storage;

/// <summary>Rows of <c>runs</c>, <c>tasks</c> and <c>workers</c> as Dapper reads them, and their mapping to the Core records.</summary>
internal static class PgJobRows
{
    public const string RunColumns =
        "id, state, reason, settings::text AS settings, abort_requested, submitted_by, created_at, started_at, finished_at";

    public const string TaskColumns =
        """
        id, run_id, chain_id, chain_name, state, reason, attempt, max_attempts, progress, phase, result::text AS result, worker_id,
        heartbeat_at, abort_requested, timeout_seconds, created_at, started_at, finished_at
        """;

    public static RunRecord ToRecord(this RunRow row) => new(
        row.Id, JobStates.Parse(row.State), row.Reason, JobSettings.FromJson(row.Settings), row.Abort_Requested, row.Submitted_By,
        Utc(row.Created_At), Utc(row.Started_At), Utc(row.Finished_At));

    public static TaskRecord ToRecord(this TaskRow row) => new(
        row.Id, row.Run_Id, row.Chain_Id, row.Chain_Name, JobStates.Parse(row.State), row.Reason, row.Attempt, row.Max_Attempts, row.Progress,
        row.Phase, row.Result, row.Worker_Id, Utc(row.Heartbeat_At), row.Abort_Requested, TimeSpan.FromSeconds(row.Timeout_Seconds),
        Utc(row.Created_At), Utc(row.Started_At), Utc(row.Finished_At));

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;

#pragma warning disable CA1707, IDE1006 // Property names are the column names, so Dapper maps them without configuration.
    internal sealed class RunRow
    {
        public Guid Id { get; set; }
        public string State { get; set; } = string.Empty;
        public string? Reason { get; set; }
        public string Settings { get; set; } = "{}";
        public bool Abort_Requested { get; set; }
        public string Submitted_By { get; set; } = string.Empty;
        public DateTime Created_At { get; set; }
        public DateTime? Started_At { get; set; }
        public DateTime? Finished_At { get; set; }
    }

    internal sealed class TaskRow
    {
        public Guid Id { get; set; }
        public Guid Run_Id { get; set; }
        public string Chain_Id { get; set; } = string.Empty;
        public string Chain_Name { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public string? Reason { get; set; }
        public int Attempt { get; set; }
        public int Max_Attempts { get; set; }
        public short Progress { get; set; }
        public string? Phase { get; set; }
        public string? Result { get; set; }
        public string? Worker_Id { get; set; }
        public DateTime? Heartbeat_At { get; set; }
        public bool Abort_Requested { get; set; }
        public int Timeout_Seconds { get; set; }
        public DateTime Created_At { get; set; }
        public DateTime? Started_At { get; set; }
        public DateTime? Finished_At { get; set; }
    }
#pragma warning restore CA1707, IDE1006
}
