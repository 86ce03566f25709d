using System.IO.Compression;
using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>Builds price files in memory, the way chains publish them (no checked-in binaries).</summary>
internal static class TestFiles
{
    public const string ChainId = "7290027600007";
    public const string HebrewName = "חלב תנובה 3% בקרטון 1 ליטר";

    public static Encoding Windows1255 { get; } = CreateWindows1255();

    private static Encoding CreateWindows1255()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1255);
    }

    /// <summary>A standard Root/Items/Item price document.</summary>
    public static string PriceXml(string items, string storeId = "001", string root = "Root", string? declaration = null) =>
        (declaration is null ? string.Empty : declaration + "\r\n") +
        $"<{root}>\r\n<ChainId>{ChainId}</ChainId>\r\n<SubChainId>001</SubChainId>\r\n<StoreId>{storeId}</StoreId>\r\n" +
        $"<BikoretNo>7</BikoretNo>\r\n<DllVerNo>8.0.1.3</DllVerNo>\r\n<Items Count=\"1\">\r\n{items}</Items>\r\n</{root}>\r\n";

    public static string Item(string itemCode = "7290000000015", string price = "5.90", string name = "Milk", string extra = "") =>
        $"<Item><PriceUpdateDate>2024-05-16 22:25:16</PriceUpdateDate><ItemCode>{itemCode}</ItemCode><ItemType>1</ItemType>" +
        $"<ItemName>{name}</ItemName><ItemPrice>{price}</ItemPrice>{extra}</Item>\r\n";

    public static byte[] Utf8WithBom(string text) => [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)];

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Zip(params (string Name, byte[] Data)[] entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, data) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(data);
            }
        }

        return output.ToArray();
    }

    /// <summary>Opens bytes the way a download arrives: a stream that cannot seek.</summary>
    public static DecodedFile Open(byte[] bytes) => PriceFileReader.Open(new NonSeekableStream(bytes));

    public static List<PriceRow> ReadPrices(byte[] bytes, ReadStats? stats = null)
    {
        using var file = Open(bytes);
        return [.. PriceFileReader.ReadPrices(file, stats ?? new ReadStats(), CancellationToken.None)];
    }

    public static List<StoreRow> ReadStores(byte[] bytes, ReadStats? stats = null)
    {
        using var file = Open(bytes);
        return [.. PriceFileReader.ReadStores(file, stats ?? new ReadStats(), CancellationToken.None)];
    }
}

/// <summary>A read-only, forward-only stream over bytes, like an HTTP response body; reads in small uneven chunks.</summary>
internal sealed class NonSeekableStream(byte[] data) : ReadOnlyStream(new MemoryStream(data))
{
    public bool Disposed { get; private set; }

    // Network streams hand out whatever arrived: never assume a read fills the buffer.
    public override int Read(Span<byte> buffer) => Inner.Read(buffer[..Math.Min(buffer.Length, 7919)]);

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
