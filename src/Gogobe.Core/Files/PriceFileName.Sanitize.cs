namespace Gogobe.Core.Files;

public sealed partial record PriceFileName
{
    /// <summary>Longest name accepted: the usual file-system limit for one path component.</summary>
    public const int MaxFileNameLength = 255;

    /// <summary>
    /// Checks a file name taken from a portal (a listing, a URL, a Content-Disposition header) before it is used as a
    /// local file name. Returns the name unchanged when it is one plain path component; otherwise throws
    /// <see cref="ArgumentException"/> naming the problem. Refused: empty or over <see cref="MaxFileNameLength"/> chars,
    /// path separators (<c>/</c>, <c>\</c>), <c>.</c> / <c>..</c>, rooted or drive paths (<c>:</c>), control characters,
    /// leading or trailing whitespace and trailing dots (which Windows silently drops). Nothing is rewritten: a portal
    /// that sends such a name is either broken or hostile, and the operator should see it.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not safe to use as a local file name.</exception>
    public static string SanitizeFileName(string portalName)
    {
        var problem = FileNameProblem(portalName);
        return problem is null
            ? portalName
            : throw new ArgumentException($"unsafe file name from portal ({problem}): {Printable(portalName)}", nameof(portalName));
    }

    /// <summary>The non-throwing form of <see cref="SanitizeFileName"/>: true when the name is safe to use as is.</summary>
    public static bool IsSafeFileName(string? portalName) => FileNameProblem(portalName) is null;

    private static string? FileNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "empty";
        }

        if (name.Length > MaxFileNameLength)
        {
            return $"longer than {MaxFileNameLength} characters";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c))
            {
                return "control character";
            }

            if (c is '/' or '\\')
            {
                return "path separator";
            }

            if (c == ':')
            {
                return "drive or stream separator ':'";
            }
        }

        if (name is "." or "..")
        {
            return "relative path";
        }

        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1]))
        {
            return "leading or trailing whitespace";
        }

        return name[^1] == '.' ? "trailing dot" : null;
    }

    /// <summary>The name as it can be shown in a message: control characters escaped, length cut.</summary>
    private static string Printable(string? name)
    {
        if (name is null)
        {
            return "(null)";
        }

        var cut = name.Length > 80 ? name[..80] + "…" : name;
        var text = new System.Text.StringBuilder(cut.Length);
        foreach (var c in cut)
        {
            text.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return "\"" + text + "\"";
    }
}
