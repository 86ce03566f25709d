using System.Globalization;
using System.Xml;

namespace Gogobe.Core.Files;

public static partial class PriceFileReader
{
    /// <summary>How many elements are looked at to tell a file's kind from its content.</summary>
    private const int KindSniffElements = 2000;

    private static readonly Dictionary<string, FileKind> KindMarkers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Promotions"] = FileKind.Promo,
        ["Promotion"] = FileKind.Promo,
        ["PromotionId"] = FileKind.Promo,
        ["Sales"] = FileKind.Promo,
        ["Sale"] = FileKind.Promo,
        ["SubChains"] = FileKind.Stores,
        ["Stores"] = FileKind.Stores,
        ["Branches"] = FileKind.Stores,
        ["StoreName"] = FileKind.Stores,
        ["Items"] = FileKind.Price,
        ["Item"] = FileKind.Price,
        ["Products"] = FileKind.Price,
        ["Product"] = FileKind.Price,
        ["ItemPrice"] = FileKind.Price,
    };

    /// <inheritdoc cref="Inspect(Stream, string, ReaderLimits?, CancellationToken)"/>
    public static FileInspection Inspect(Stream raw, string fileName, CancellationToken cancellationToken) =>
        Inspect(raw, fileName, null, cancellationToken);

    /// <summary>
    /// Reads one file end to end the way ingestion would, keeping no rows, and reports what was found: the name parse,
    /// container, encoding, layout, rows read, rejects and warnings by reason, repairs, and the error if it failed.
    /// The kind (hence the reader) comes from the name; for an unrecognised name it is detected from the content
    /// (the stream is then read twice: a non-seekable one is spooled to a temporary file first). Takes ownership of
    /// <paramref name="raw"/>. Never throws for bad content: that is reported in <see cref="FileInspection.Error"/>.
    /// </summary>
    public static FileInspection Inspect(Stream raw, string fileName, ReaderLimits? limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(fileName);
        using var owned = raw;
        var name = PriceFileName.TryParse(fileName, out var parsed) ? parsed : null;
        var summary = Summarise(name);
        var kind = KindOf(fileName);
        var kindSource = kind is null ? "unknown" : "name";
        var stats = new ReadStats();
        string? container = null;
        string? encoding = null;
        string? error = null;
        Stream? spool = null;
        try
        {
            var source = raw;
            if (kind is null)
            {
                if (!raw.CanSeek)
                {
                    spool = Spool(raw, (limits ?? ReaderLimits.Default).MaxDecompressedBytes);
                    source = spool;
                }

                var origin = source.Position;
                using (var sniff = Open(new LeaveOpenStream(source), limits))
                {
                    kind = SniffKind(sniff);
                }

                source.Position = origin;
                kindSource = kind is null ? "unknown" : "content";
            }

            using var file = Open(new LeaveOpenStream(source), limits);
            container = file.Container;
            encoding = file.Encoding.WebName;
            switch (kind)
            {
                case FileKind.Stores:
                    Drain(ReadStores(file, stats, cancellationToken));
                    break;
                case FileKind.Promo or FileKind.PromoFull:
                    Drain(ReadPromotions(file, stats, cancellationToken));
                    break;
                case FileKind.Price or FileKind.PriceFull:
                    Drain(ReadPrices(file, stats, cancellationToken));
                    break;
                default:
                    error = "cannot tell the file's kind: unrecognised name and no known list element in the content";
                    break;
            }
        }
        catch (InvalidDataException ex)
        {
            error = ex.Message;
        }
        catch (IOException ex)
        {
            error = "read failed: " + ex.Message;
        }
        finally
        {
            spool?.Dispose();
        }

        return new FileInspection
        {
            FileName = fileName,
            Name = name,
            NameSummary = summary,
            Kind = kind,
            KindSource = kindSource,
            Container = container,
            Encoding = encoding,
            Shape = stats.Shape,
            RowsRead = stats.RowsRead,
            RowsRejected = stats.RowsRejected,
            RejectsByReason = new Dictionary<string, int>(stats.RejectsByReason),
            WarningsByReason = new Dictionary<string, int>(stats.WarningsByReason),
            Repairs = stats.Repairs,
            Error = error,
        };
    }

    private static string Summarise(PriceFileName? name)
    {
        if (name is null)
        {
            return "unrecognised name";
        }

        if (name.IsPlaceholder && name.ChainId.Length == 0)
        {
            return $"placeholder {name.Kind} (NULL name)";
        }

        var text = $"{name.Kind} chain {name.ChainId}" +
            (name.SubChainId is null ? string.Empty : $" sub-chain {name.SubChainId}") +
            $" store {name.StoreId.ToString(CultureInfo.InvariantCulture)}" +
            $" at {name.PublishedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}";
        return name.IsPlaceholder ? "placeholder " + text : text;
    }

    private static void Drain<T>(IEnumerable<T> rows)
    {
        foreach (var unused in rows)
        {
            _ = unused;
        }
    }

    private static FileStream Spool(Stream raw, long limit)
    {
        var spool = new FileStream(
            Path.Combine(Path.GetTempPath(), "gogobe-inspect-" + Path.GetRandomFileName()),
            FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            CopyBounded(raw, spool, limit);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            spool.Dispose();
            throw;
        }
    }

    /// <summary>The kind told by the first element names that only one kind of file uses; OrderXml decides by its rows' fields.</summary>
    private static FileKind? SniffKind(DecodedFile file)
    {
        try
        {
            using var reader = XmlSettings.CreateReader(file, file.Text);
            return SniffKind(reader);
        }
        catch (InvalidDataException)
        {
            // Damage is reported by the real read; here it only means no marker was found before it.
            return null;
        }
    }

    private static FileKind? SniffKind(XmlReader reader)
    {
        try
        {
            for (var seen = 0; seen < KindSniffElements && reader.Read();)
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                seen++;
                if (reader.LocalName.Equals("abap", StringComparison.OrdinalIgnoreCase))
                {
                    return FileKind.Stores;
                }

                if (KindMarkers.TryGetValue(reader.LocalName, out var kind))
                {
                    return kind;
                }
            }
        }
        catch (Exception ex) when (ex is XmlException or System.Text.DecoderFallbackException or InvalidDataException)
        {
            // Damage is reported by the real read; here it only means no marker was found before it.
        }

        return null;
    }
}
