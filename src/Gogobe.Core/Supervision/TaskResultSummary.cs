using System.Text.Json;
using Gogobe.Core.Orchestration;

namespace Gogobe.Core.Supervision;

/// <summary>The result summary stored on a finished task (jsonb): what the chain did, in numbers.</summary>
public sealed record TaskResultSummary(
    int FilesListed,
    int FilesCompleted,
    int FilesFailed,
    int FilesSkipped,
    long RowsRead,
    long RowsChanged,
    long DuplicatesRemoved,
    double ElapsedSeconds,
    string? Error,
    string? Notice)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TaskResultSummary From(ChainReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new TaskResultSummary(report.FilesListed, report.Completed, report.Failed, report.Skipped, report.RowsRead, report.RowsChanged,
            report.DuplicatesRemoved, Math.Round(report.Elapsed.TotalSeconds, 3), report.Error, report.Notice);
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TaskResultSummary? FromJson(string? json) => json is null ? null : JsonSerializer.Deserialize<TaskResultSummary>(json, Json);
}
