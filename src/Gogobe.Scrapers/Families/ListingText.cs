using System.Globalization;

namespace Gogobe.Scrapers.Families;

/// <summary>The few value formats listings write: dates in each portal's own format, sizes as "12.42 KB".</summary>
internal static class ListingText
{
    /// <summary>
    /// A listing's date and time in one of <paramref name="formats"/> (invariant culture), after trimming and folding
    /// runs of spaces (Bina writes <c>" 10:00  07/10/2024 "</c>); null when absent or in no known format.
    /// </summary>
    public static DateTime? Time(string? text, params string[] formats)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var folded = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return DateTime.TryParseExact(folded, formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var value)
            ? DateTime.SpecifyKind(value, DateTimeKind.Unspecified)
            : null;
    }

    /// <summary>"562.84 KB", "664 B", or a bare number in <paramref name="unit"/> → bytes (approximate where the text rounds); null when unreadable.</summary>
    public static long? Size(string? text, string unit = "B")
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            return null;
        }

        var factor = (parts.Length > 1 ? parts[1] : unit).ToUpperInvariant() switch
        {
            "B" or "BYTES" => 1d,
            "KB" => 1024d,
            "MB" => 1024d * 1024,
            "GB" => 1024d * 1024 * 1024,
            _ => double.NaN,
        };
        return double.IsNaN(factor) || value <= 0 ? null : (long)Math.Round(value * factor);
    }
}
