using System.Globalization;

namespace Gogobe.Scrapers.Ftp;

/// <summary>One entry of a directory listing: its name, whether it is a file, and its size when the server told it.</summary>
public sealed record FtpListItem(string Name, bool IsFile, long? Size)
{
    /// <summary>
    /// Parses one MLSD line (RFC 3659): <c>fact=value;fact=value; name</c>. Facts are case-insensitive; the name is
    /// everything after the first space and may itself hold spaces or semicolons. Null for a line that is not an entry.
    /// </summary>
    public static FtpListItem? ParseMlsd(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || space == line.Length - 1)
        {
            return null;
        }

        var name = line[(space + 1)..];
        string? type = null;
        long? size = null;
        foreach (var fact in line[..space].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = fact.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = fact[..equals];
            var value = fact[(equals + 1)..];
            if (key.Equals("type", StringComparison.OrdinalIgnoreCase))
            {
                type = value;
            }
            else if (key.Equals("size", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                size = parsed;
            }
        }

        // cdir/pdir are "." and ".."; dir is a sub-folder; anything without a type is taken as a file (servers omit it).
        var isFile = type is null || type.Equals("file", StringComparison.OrdinalIgnoreCase);
        return new FtpListItem(name, isFile, size);
    }
}
