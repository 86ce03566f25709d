using System.Text.Json;

namespace Gogobe.Storage;

/// <summary>The <c>file_processing_log.rejects</c> jsonb: reason → count. No rejects is stored as NULL, not <c>{}</c>.</summary>
internal static class RejectsJson
{
    public static string? Serialize(IReadOnlyDictionary<string, int>? rejectsByReason) =>
        rejectsByReason is null || rejectsByReason.Count == 0 ? null : JsonSerializer.Serialize(rejectsByReason);

    public static IReadOnlyDictionary<string, int>? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<Dictionary<string, int>>(json);
}
