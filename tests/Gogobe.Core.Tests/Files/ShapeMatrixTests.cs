using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>
/// Every layout × container × encoding seen in the wild: a file is generated from expected rows by a test-side writer,
/// read back, and compared field by field (Hebrew included). The inspection of the same bytes must name the shape.
/// </summary>
public sealed class ShapeMatrixTests
{
    private static readonly string[] Containers = ["gzip", "zip", "plain"];

    private static readonly string[] Encodings =
        ["utf-8 BOM", "utf-8 no BOM", "windows-1255 declared", "windows-1255 undeclared", "ISO-8859-8 declared", "utf-16LE BOM"];

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var shape in ShapeWriters.Shapes.Keys)
        {
            foreach (var container in Containers)
            {
                foreach (var encoding in Encodings)
                {
                    data.Add(shape, container, encoding);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Read_EveryShapeContainerAndEncoding_YieldsExactlyTheWrittenRows(string shape, string container, string encoding)
    {
        var (kind, shapeName) = ShapeWriters.Shapes[shape];
        var bytes = Package(Encode(ShapeWriters.Write(shape), encoding), container);
        var stats = new ReadStats();

        using (var file = TestFiles.Open(bytes))
        {
            Assert.Equal(container, file.Container);
            switch (kind)
            {
                case FileKind.Stores:
                    RowComparison.AssertSameRows(ShapeWriters.Stores, [.. PriceFileReader.ReadStores(file, stats, CancellationToken.None)]);
                    break;
                case FileKind.Promo or FileKind.PromoFull:
                    RowComparison.AssertSameRows(ShapeWriters.Promotions, [.. PriceFileReader.ReadPromotions(file, stats, CancellationToken.None)]);
                    break;
                default:
                    RowComparison.AssertSameRows(ShapeWriters.Prices, [.. PriceFileReader.ReadPrices(file, stats, CancellationToken.None)]);
                    break;
            }
        }

        Assert.Equal(shapeName, stats.Shape);
        Assert.Equal(0, stats.RowsRejected);
        Assert.Empty(stats.WarningsByReason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Inspect_EveryShapeContainerAndEncoding_ReportsShapeAndRows(string shape, string container, string encoding)
    {
        var (kind, shapeName) = ShapeWriters.Shapes[shape];
        var bytes = Package(Encode(ShapeWriters.Write(shape), encoding), container);
        var name = $"{kind}{ShapeWriters.Chain}-038-202410070010.gz";

        var inspection = PriceFileReader.Inspect(new NonSeekableStream(bytes), name, CancellationToken.None);

        Assert.Null(inspection.Error);
        Assert.Equal(kind, inspection.Kind);
        Assert.Equal(container, inspection.Container);
        Assert.Equal(shapeName, inspection.Shape);
        var expectedRows = kind switch
        {
            FileKind.Stores => ShapeWriters.Stores.Count,
            FileKind.Promo or FileKind.PromoFull => ShapeWriters.Promotions.Count,
            _ => ShapeWriters.Prices.Count,
        };
        Assert.Equal(expectedRows, inspection.RowsRead);
        Assert.Equal(ExpectedEncodingName(encoding), inspection.Encoding);
    }

    private static string ExpectedEncodingName(string encoding) => encoding switch
    {
        "utf-8 BOM" or "utf-8 no BOM" => "utf-8",
        "utf-16LE BOM" => "utf-16",
        _ => "windows-1255",
    };

    internal static byte[] Encode(string xml, string encoding) => encoding switch
    {
        "utf-8 BOM" => TestFiles.Utf8WithBom(xml),
        "utf-8 no BOM" => Encoding.UTF8.GetBytes(xml),
        "windows-1255 declared" => Strict1255("<?xml version=\"1.0\" encoding=\"windows-1255\"?>\r\n" + xml),
        "windows-1255 undeclared" => Strict1255(xml),
        "ISO-8859-8 declared" => Strict1255("<?xml version=\"1.0\" encoding=\"ISO-8859-8\"?>" + xml),
        "utf-16LE BOM" => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>\r\n" + xml)],
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    internal static byte[] Package(byte[] data, string container) => container switch
    {
        "gzip" => TestFiles.Gzip(data),
        "zip" => TestFiles.Zip(("PriceFull.xml", data)),
        "plain" => data,
        _ => throw new ArgumentOutOfRangeException(nameof(container), container, null),
    };

    /// <summary>windows-1255 bytes, failing the test (rather than writing '?') if the text has a character the code page lacks.</summary>
    private static byte[] Strict1255(string text) =>
        Encoding.GetEncoding(1255, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetBytes(text);
}
