using System.Globalization;
using System.Text.RegularExpressions;

namespace Gogobe.Host.Logging;

/// <summary>
/// Where the log files live under the logs folder, and how a log's rolled files are found again in order:
/// <c>runs/&lt;runId&gt;.log|.jsonl</c>, <c>chains/&lt;ChainClass&gt;.log|.jsonl</c> and <c>gogobe.jsonl</c> (the whole
/// host). A file that reaches the size limit continues in <c>name_001.ext</c>, <c>name_002.ext</c>, ... (Serilog's
/// naming), so the base file is the oldest and the highest number the newest.
/// </summary>
internal sealed partial class LogFileLayout(string directory)
{
    public const string TextExtension = ".log";
    public const string JsonExtension = ".jsonl";

    public string Directory { get; } = Path.GetFullPath(directory);

    public string RunsDirectory => Path.Combine(Directory, "runs");

    public string ChainsDirectory => Path.Combine(Directory, "chains");

    /// <summary>Every event of the process, JSON lines: the structured stream tools and the dashboard read.</summary>
    public string HostJsonPath => Path.Combine(Directory, "gogobe" + JsonExtension);

    public string RunPath(string runId, string extension) => Path.Combine(RunsDirectory, SafeKey(runId) + extension);

    public string ChainPath(string chainKey, string extension) => Path.Combine(ChainsDirectory, SafeKey(chainKey) + extension);

    /// <summary>
    /// A key as a file name: ASCII letters, digits, '-' and '_' kept, anything else '_' (a key comes from a scope, which a
    /// scraper could fill with anything; it must never escape the folder).
    /// </summary>
    public static string SafeKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        var chars = key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return new string(chars);
    }

    /// <summary>The files of the log whose first file is <paramref name="basePath"/>, oldest first (rotation order).</summary>
    public static IReadOnlyList<string> Segments(string basePath)
    {
        var folder = Path.GetDirectoryName(basePath)!;
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        var name = Path.GetFileNameWithoutExtension(basePath);
        var extension = Path.GetExtension(basePath);
        var segments = new List<(int Sequence, string Path)>();
        foreach (var file in System.IO.Directory.EnumerateFiles(folder, name + "*" + extension))
        {
            if (Sequence(Path.GetFileName(file), name, extension) is { } sequence)
            {
                segments.Add((sequence, file));
            }
        }

        return [.. segments.OrderBy(s => s.Sequence).Select(s => s.Path)];
    }

    /// <summary>The logs of a folder (rolled files folded into their first name), newest write first.</summary>
    public static IReadOnlyList<string> Logs(string folder, string extension)
    {
        if (!System.IO.Directory.Exists(folder))
        {
            return [];
        }

        return [.. System.IO.Directory.EnumerateFiles(folder, "*" + extension)
            .Select(file => (File: file, Base: Path.Combine(folder, RolledSuffix().Replace(Path.GetFileNameWithoutExtension(file), string.Empty) + extension)))
            .GroupBy(f => f.Base, StringComparer.Ordinal)
            .OrderByDescending(g => g.Max(f => File.GetLastWriteTimeUtc(f.File)))
            .Select(g => g.Key)];
    }

    /// <summary>0 for the base file, n for <c>name_00n</c>; null when the file belongs to another log.</summary>
    private static int? Sequence(string fileName, string name, string extension)
    {
        if (!fileName.EndsWith(extension, StringComparison.Ordinal) || !fileName.StartsWith(name, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = fileName[name.Length..^extension.Length];
        if (rest.Length == 0)
        {
            return 0;
        }

        return rest.Length > 1 && rest[0] == '_' && int.TryParse(rest.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    [GeneratedRegex("_[0-9]{3,}$")]
    private static partial Regex RolledSuffix();
}
