namespace Gogobe.Storage;

/// <summary>The values of <c>file_processing_log.status</c>.</summary>
public static class FileStatus
{
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
}
