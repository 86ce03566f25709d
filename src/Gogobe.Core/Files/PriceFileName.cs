using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Gogobe.Core.Files;

/// <summary>
/// What a published file's name says: kind, chain, optional sub-chain, store and publication time.
/// Two naming schemes are in use (FORMATS.md):
/// classic <c>&lt;Kind&gt;&lt;ChainId&gt;-&lt;StoreId&gt;-&lt;YYYYMMDDHHMM&gt;[.gz|.xml|.zip]</c> and
/// new <c>&lt;Kind&gt;&lt;ChainId&gt;-&lt;SubChainId&gt;-&lt;StoreId&gt;-&lt;YYYYMMDD&gt;-&lt;HHMMSS&gt;[ext]</c>.
/// The new scheme's Stores files drop one segment (<c>Stores7290055700007-000-20260811-000100.xml</c>, Carrefour, Wolt,
/// Super-Pharm), and Shufersal's end in the time as H[H]MM (<c>Stores7290027600007-000-20260716-020.gz</c>, listed at
/// 0:20): both are read for Stores files, the segment as the sub-chain, the store as 0.
/// </summary>
/// <param name="PublishedAt">Israel local time as written in the name (<see cref="DateTimeKind.Unspecified"/>).</param>
/// <param name="IsPlaceholder">
/// The name starts with <c>NULL</c>: a placeholder the portal lists but that holds nothing to ingest.
/// When the rest of such a name does not parse, ChainId is empty, StoreId 0 and PublishedAt default.
/// </param>
public sealed partial record PriceFileName(FileKind Kind, string ChainId, string? SubChainId, int StoreId, DateTime PublishedAt, bool IsPlaceholder)
{
    public static bool TryParse(string fileName, [NotNullWhen(true)] out PriceFileName? name)
    {
        name = null;
        if (string.IsNullOrEmpty(fileName))
        {
            return false;
        }

        var match = NamePattern().Match(fileName);
        if (match.Success)
        {
            var placeholder = match.Groups["null"].Success;
            var kind = KindFromPrefix(match.Groups["kind"].ValueSpan);
            var chainId = match.Groups["chain"].Value;
            DateTime publishedAt;
            string? subChainId = null;
            int storeId;
            if (match.Groups["ts12"].Success)
            {
                storeId = int.Parse(match.Groups["store"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                if (!TryParseTime(match.Groups["ts12"].ValueSpan, "yyyyMMddHHmm", out publishedAt))
                {
                    return placeholder && Placeholder(kind, out name);
                }
            }
            else if (match.Groups["short"].Success)
            {
                // Only Stores files drop a segment; another kind named so is a name of neither scheme.
                if (kind != FileKind.Stores || !TryParseTime(match.Groups["d8s"].ValueSpan, "yyyyMMdd", out publishedAt))
                {
                    return placeholder && Placeholder(kind, out name);
                }

                subChainId = match.Groups["short"].Value;
                storeId = 0;
                if (match.Groups["t6s"].Success && TryParseTime(match.Groups["t6s"].ValueSpan, "HHmmss", out var time))
                {
                    publishedAt = publishedAt.Add(time.TimeOfDay);
                }
                else if (match.Groups["hmm"].Success && int.Parse(match.Groups["hmm"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture) is var hmm
                    && hmm / 100 < 24 && hmm % 100 < 60)
                {
                    // Shufersal's "-020" is the time without the hour's leading zero: 0:20, as its listing says (12:20:00 AM).
                    publishedAt = publishedAt.AddHours(hmm / 100).AddMinutes(hmm % 100);
                }
                else
                {
                    return placeholder && Placeholder(kind, out name);
                }
            }
            else
            {
                subChainId = match.Groups["sub"].Value;
                storeId = int.Parse(match.Groups["store2"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                Span<char> stamp = stackalloc char[14];
                match.Groups["d8"].ValueSpan.CopyTo(stamp);
                match.Groups["t6"].ValueSpan.CopyTo(stamp[8..]);
                if (!TryParseTime(stamp, "yyyyMMddHHmmss", out publishedAt))
                {
                    return placeholder && Placeholder(kind, out name);
                }
            }

            name = new PriceFileName(kind, chainId, subChainId, storeId, publishedAt, placeholder);
            return true;
        }

        // A placeholder whose rest is not a well-formed name is still a placeholder: the caller must be able to count it.
        var placeholderMatch = PlaceholderPattern().Match(fileName);
        return placeholderMatch.Success && Placeholder(KindFromPrefix(placeholderMatch.Groups["kind"].ValueSpan), out name);
    }

    private static bool Placeholder(FileKind kind, out PriceFileName name)
    {
        name = new PriceFileName(kind, string.Empty, null, 0, default, IsPlaceholder: true);
        return true;
    }

    private static bool TryParseTime(ReadOnlySpan<char> text, string format, out DateTime value) =>
        DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);

    /// <summary>The kind from the leading kind word (already validated by the pattern).</summary>
    internal static FileKind KindFromPrefix(ReadOnlySpan<char> word)
    {
        // Longer words first: "PriceFull" also starts with "Price".
        if (word.StartsWith("Stores", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.Stores;
        }

        if (word.StartsWith("PriceFull", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.PriceFull;
        }

        if (word.StartsWith("PromoFull", StringComparison.OrdinalIgnoreCase))
        {
            return FileKind.PromoFull;
        }

        return word.StartsWith("Price", StringComparison.OrdinalIgnoreCase) ? FileKind.Price : FileKind.Promo;
    }

    // Alternation order matters: the longer kind word must be tried first.
    [GeneratedRegex(
        @"^(?<null>NULL)?(?<kind>StoresFull|Stores|PriceFull|Price|PromoFull|Promo)(?<chain>\d{13})-" +
        @"(?:(?<store>\d{3,4})-(?<ts12>\d{12})|(?<sub>\d{1,4})-(?<store2>\d{3,4})-(?<d8>\d{8})-(?<t6>\d{6})" +
        @"|(?<short>\d{3,4})-(?<d8s>\d{8})-(?:(?<t6s>\d{6})|(?<hmm>\d{3,4})))" +
        @"(?:\.xml\.gz|\.gz|\.xml|\.zip)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex NamePattern();

    [GeneratedRegex(
        @"^NULL(?<kind>StoresFull|Stores|PriceFull|Price|PromoFull|Promo)",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex PlaceholderPattern();
}
