using System.Globalization;

namespace Gogobe.Core.Files;

/// <summary>Typed reads of the text values in these files: invariant culture, the date forms chains write.</summary>
internal static class FieldParsing
{
    private const NumberStyles DecimalStyle = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd H:mm:ss",
        "yyyy/MM/dd HH:mm:ss",
        "yyyy/MM/dd HH:mm",
        "yyyy/MM/dd",
        "dd/MM/yyyy HH:mm:ss",
        "dd/MM/yyyy HH:mm",
        "dd/MM/yyyy",
        "yyyyMMddHHmmss",
        "yyyyMMdd",
    ];

    /// <summary>Trims; empty becomes null. A value that needed trimming counts as a repair.</summary>
    public static string? Clean(string? value, ref int repairs)
    {
        if (value is null)
        {
            return null;
        }

        var trimmed = value.Trim();
        if (!ReferenceEquals(trimmed, value))
        {
            repairs++;
        }

        return trimmed.Length == 0 ? null : trimmed;
    }

    /// <summary>A decimal written with a point. A lone decimal comma ("5,90") is read as a point and counted as a repair.</summary>
    public static bool TryDecimal(string text, ref int repairs, out decimal value) => TryDecimal(text.AsSpan(), ref repairs, out value);

    /// <inheritdoc cref="TryDecimal(string, ref int, out decimal)"/>
    public static bool TryDecimal(ReadOnlySpan<char> text, ref int repairs, out decimal value)
    {
        if (TryPlainDecimal(text, out value) || decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        var comma = text.IndexOf(',');
        if (comma >= 0 && comma == text.LastIndexOf(',') && !text.Contains('.'))
        {
            Span<char> pointed = text.Length <= 128 ? stackalloc char[text.Length] : new char[text.Length];
            text.CopyTo(pointed);
            pointed[comma] = '.';
            if (decimal.TryParse(pointed, DecimalStyle, CultureInfo.InvariantCulture, out value))
            {
                repairs++;
                return true;
            }
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// The shape nearly every price has, "12.90": 1 to 18 digits with at most one point, no sign. Built straight from
    /// the digits (mantissa and scale), which gives the same value and scale as <see cref="decimal.TryParse(string, out decimal)"/>
    /// at a fraction of its cost; anything else (signs, commas, more digits) falls back to it.
    /// </summary>
    private static bool TryPlainDecimal(ReadOnlySpan<char> s, out decimal value)
    {
        value = 0;
        long mantissa = 0;
        var digits = 0;
        var scale = -1;
        foreach (var c in s)
        {
            if (c == '.')
            {
                if (scale >= 0)
                {
                    return false;
                }

                scale = 0;
                continue;
            }

            var d = c - '0';
            if ((uint)d > 9 || ++digits > 18)
            {
                return false;
            }

            mantissa = (mantissa * 10) + d;
            if (scale >= 0)
            {
                scale++;
            }
        }

        if (digits == 0)
        {
            return false;
        }

        value = new decimal((int)mantissa, (int)(mantissa >> 32), 0, isNegative: false, (byte)Math.Max(scale, 0));
        return true;
    }

    /// <summary>
    /// Exponent notation ("1e9", "1.2E+3"), tried only after <see cref="TryDecimal"/> failed, so that such a value
    /// is judged by its size (e.g. "price out of range") rather than rejected as unreadable.
    /// </summary>
    public static bool TryScientific(ReadOnlySpan<char> text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryInt(string text, out int value) => TryInt(text.AsSpan(), out value);

    public static bool TryInt(ReadOnlySpan<char> text, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>"1"/"0", "true"/"false", "Y"/"N" as chains write flags.</summary>
    public static bool TryBool(string text, out bool value) => TryBool(text.AsSpan(), out value);

    /// <inheritdoc cref="TryBool(string, out bool)"/>
    public static bool TryBool(ReadOnlySpan<char> text, out bool value)
    {
        switch (text)
        {
            case "1":
            case "Y" or "y":
                value = true;
                return true;
            case "0":
            case "N" or "n":
                value = false;
                return true;
        }

        return bool.TryParse(text, out value);
    }

    /// <summary>Israel local time as written (kind Unspecified). Fast path for the common ISO-like forms.</summary>
    public static bool TryDate(string text, out DateTime value) => TryDate(text.AsSpan(), out value);

    /// <inheritdoc cref="TryDate(string, out DateTime)"/>
    public static bool TryDate(ReadOnlySpan<char> text, out DateTime value)
    {
        var s = text;
        if (s.Length is 10 or 16 or 19 && s[4] == '-' && s[7] == '-' &&
            TryDigits(s, 0, 4, out var year) && TryDigits(s, 5, 2, out var month) && TryDigits(s, 8, 2, out var day))
        {
            int hour = 0, minute = 0, second = 0;
            var timeOk = s.Length == 10 ||
                ((s[10] == ' ' || s[10] == 'T') && s[13] == ':' &&
                 TryDigits(s, 11, 2, out hour) && TryDigits(s, 14, 2, out minute) &&
                 (s.Length == 16 || (s[16] == ':' && TryDigits(s, 17, 2, out second))));
            if (timeOk && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) &&
                year >= 1 && hour < 24 && minute < 60 && second < 60)
            {
                value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
                return true;
            }
        }

        return DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out value);
    }

    private static bool TryDigits(ReadOnlySpan<char> s, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }
}
