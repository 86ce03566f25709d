using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Gogobe.Core.Files;

/// <summary>
/// Reads the files chains publish: opens any container (gzip, zip, plain) in any of the encodings in use,
/// then streams typed rows out of the XML variants. Nothing here holds a whole file in memory.
/// </summary>
public static partial class PriceFileReader
{
    /// <summary>How much of the (decompressed) head is looked at to decide the encoding.</summary>
    private const int SniffLength = 64 * 1024;

    /// <summary>
    /// Opens a raw file as published (gzip, zip with exactly one entry, or plain XML, told apart by magic
    /// bytes), decides its encoding and returns its text as a stream. Takes ownership of <paramref name="raw"/>.
    /// </summary>
    /// <param name="raw">The file as published.</param>
    /// <param name="limits">Bounds against hostile input; <see cref="ReaderLimits.Default"/> when null.</param>
    /// <exception cref="InvalidDataException">
    /// Empty file, HTML page instead of a file, corrupt archive, zip without exactly one file; later, while reading,
    /// content past a <see cref="ReaderLimits"/> bound (size, compression ratio, value length).
    /// </exception>
    public static DecodedFile Open(Stream raw, ReaderLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(raw);
        limits ??= ReaderLimits.Default;
        limits.Validate();
        Stream? decompressed = null;
        IDisposable? archive = null;
        try
        {
            var origin = raw.CanSeek ? raw.Position : 0;
            var magic = new byte[4];
            var magicLength = raw.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            if (magicLength == 0)
            {
                throw new InvalidDataException("empty file");
            }

            string container;
            if (magicLength >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            {
                container = "gzip";
                var compressed = new ByteCountingStream(Rewind(raw, origin, magic, magicLength));
                decompressed = new SizeLimitStream(
                    new CorruptionGuardStream(new GZipStream(compressed, CompressionMode.Decompress), container),
                    container, limits, () => compressed.BytesRead);
            }
            else if (magicLength >= 2 && magic[0] == (byte)'P' && magic[1] == (byte)'K')
            {
                container = "zip";
                (decompressed, archive) = OpenZip(Rewind(raw, origin, magic, magicLength), limits);
            }
            else
            {
                container = "plain";
                decompressed = new SizeLimitStream(Rewind(raw, origin, magic, magicLength), container, limits, compressedBytes: null);
            }

            return Decode(container, decompressed, archive, limits);
        }
        catch
        {
            decompressed?.Dispose();
            archive?.Dispose();
            raw.Dispose();
            throw;
        }
    }

    /// <summary>The kind a file name announces: the full name pattern first, else the substring rules of FORMATS.md.</summary>
    public static FileKind? KindOf(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (PriceFileName.TryParse(fileName, out var name))
        {
            return name.Kind;
        }

        var match = KindWord().Match(fileName);
        return match.Success ? PriceFileName.KindFromPrefix(match.ValueSpan) : null;
    }

    /// <summary>The stream from its first byte again: seek back if possible, else replay the peeked bytes.</summary>
    private static Stream Rewind(Stream raw, long origin, byte[] peeked, int peekedLength)
    {
        if (raw.CanSeek)
        {
            raw.Position = origin;
            return raw;
        }

        return new PrefixedStream(peeked, 0, peekedLength, raw);
    }

    private static (Stream Entry, IDisposable Archive) OpenZip(Stream source, ReaderLimits limits)
    {
        // ZipArchive needs to seek (the directory is at the end). A non-seekable source (a download) is spooled
        // to a temporary file, deleted on close, rather than copied into memory as ZipArchive would do itself.
        Stream seekable = source;
        if (!source.CanSeek)
        {
            seekable = new FileStream(
                Path.Combine(Path.GetTempPath(), "gogobe-" + Path.GetRandomFileName() + ".zip"),
                FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            try
            {
                CopyBounded(source, seekable, limits.MaxDecompressedBytes);
                seekable.Position = 0;
            }
            catch
            {
                seekable.Dispose();
                throw;
            }
            finally
            {
                source.Dispose();
            }
        }

        ZipArchive zip;
        try
        {
            zip = new ZipArchive(seekable, ZipArchiveMode.Read, leaveOpen: false);
        }
        catch (InvalidDataException ex)
        {
            seekable.Dispose();
            throw new InvalidDataException($"corrupt zip: {ex.Message}", ex);
        }

        try
        {
            var files = zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count != 1)
            {
                throw new InvalidDataException(
                    $"zip must hold exactly one file, found {files.Count}" +
                    (files.Count == 0 ? string.Empty : ": " + string.Join(", ", files.Take(5).Select(f => f.FullName))));
            }

            var only = files[0];
            if (only.Length > limits.MaxDecompressedBytes)
            {
                throw new InvalidDataException(
                    $"zip content exceeds the size limit of {limits.MaxDecompressedBytes} bytes (entry declares {only.Length}; possible decompression bomb)");
            }

            var compressedLength = Math.Max(1, only.CompressedLength);
            if (only.Length > limits.RatioCheckAfterBytes && (double)only.Length / compressedLength > limits.MaxCompressionRatio)
            {
                throw new InvalidDataException(
                    $"zip compression ratio {(double)only.Length / compressedLength:F0}:1 exceeds the limit of {limits.MaxCompressionRatio:F0}:1 (possible decompression bomb)");
            }

            Stream entry;
            try
            {
                entry = only.Open();
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"corrupt zip: {ex.Message}", ex);
            }

            // Declared sizes can lie: the actual bytes are counted too.
            return (new SizeLimitStream(new CorruptionGuardStream(entry, "zip"), "zip", limits, () => compressedLength), zip);
        }
        catch
        {
            zip.Dispose();
            throw;
        }
    }

    /// <summary>Spools a download to disk, refusing one larger than the decompressed-size limit (no archive here is bigger than its content).</summary>
    private static void CopyBounded(Stream source, Stream target, long limit)
    {
        var buffer = new byte[81920];
        long total = 0;
        int n;
        while ((n = source.Read(buffer)) > 0)
        {
            total += n;
            if (total > limit)
            {
                throw new InvalidDataException($"file exceeds the size limit of {limit} bytes");
            }

            target.Write(buffer, 0, n);
        }
    }

    private static DecodedFile Decode(string container, Stream decompressed, IDisposable? archive, ReaderLimits limits)
    {
        var head = new byte[SniffLength];
        var headLength = decompressed.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (headLength == 0)
        {
            throw new InvalidDataException(container == "plain" ? "empty file" : $"empty file (nothing inside the {container})");
        }

        var complete = headLength < head.Length;
        var (encoding, bomLength) = EncodingSniffer.Detect(head.AsSpan(0, headLength), complete);
        ThrowIfHtml(head.AsSpan(bomLength, headLength - bomLength), encoding);

        // The BOM is dropped here: the encodings used have no preamble, so StreamReader would pass it on as text.
        // 16 KiB keeps its char buffer off the large-object heap (one reader per file, many files per run).
        var body = new PrefixedStream(head, bomLength, headLength - bomLength, decompressed);
        var text = new StreamReader(body, encoding, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: false);
        return new DecodedFile(container, encoding, new AmpersandRepairingReader(text, limits.MaxValueChars), archive, limits);
    }

    /// <summary>Portals answer an expired or refused link with a web page, often with status 200: recognise it.</summary>
    private static void ThrowIfHtml(ReadOnlySpan<byte> head, Encoding encoding)
    {
        // Lenient decoding (replacement characters) only for this look: the head may be cut inside a character.
        var start = Encoding.GetEncoding(encoding.CodePage).GetString(head[..Math.Min(head.Length, 8 * 1024)]);
        var trimmed = start.AsSpan().TrimStart();
        if (!trimmed.StartsWith("<!DOCTYPE html", StringComparison.OrdinalIgnoreCase) &&
            !trimmed.StartsWith("<html", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var title = HtmlTitle().Match(start);
        var what = title.Success
            ? Whitespace().Replace(title.Groups["title"].Value, " ").Trim()
            : "(no title)";
        if (what.Length > 200)
        {
            what = what[..200];
        }

        throw new InvalidDataException($"portal returned an HTML page instead of a price file: {what}");
    }

    [GeneratedRegex("<title[^>]*>(?<title>.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();

    [GeneratedRegex("StoresFull|Stores|PriceFull|Price|PromoFull|Promo", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KindWord();
}
