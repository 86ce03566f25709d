using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class ContainerDetectionTests
{
    private static readonly byte[] PlainXml = TestFiles.Utf8WithBom(TestFiles.PriceXml(TestFiles.Item(name: TestFiles.HebrewName)));

    [Fact]
    public void Open_Gzip_DetectsGzipAndReadsRows()
    {
        using var file = TestFiles.Open(TestFiles.Gzip(PlainXml));
        Assert.Equal("gzip", file.Container);
        var row = Assert.Single(PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None));
        Assert.Equal(TestFiles.HebrewName, row.ItemName);
    }

    [Fact]
    public void Open_PlainXml_DetectsPlain()
    {
        using var file = TestFiles.Open(PlainXml);
        Assert.Equal("plain", file.Container);
        Assert.Single(PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None));
    }

    [Fact]
    public void Open_ZipWithOneEntryFromNonSeekableStream_ReadsTheEntry()
    {
        using var file = TestFiles.Open(TestFiles.Zip(("PriceFull7290027600007-001-202410070010.xml", PlainXml)));
        Assert.Equal("zip", file.Container);
        Assert.Equal(TestFiles.HebrewName, Assert.Single(PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None)).ItemName);
    }

    [Fact]
    public void Open_ZipFromSeekableStream_ReadsTheEntry()
    {
        using var file = PriceFileReader.Open(new MemoryStream(TestFiles.Zip(("a.xml", PlainXml))));
        Assert.Equal("zip", file.Container);
        Assert.Single(PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None));
    }

    [Fact]
    public void Open_GzipNamedZipContent_DetectsByMagicBytesNotName()
    {
        // A zip served under a .gz name: the name is never consulted, the bytes are.
        using var file = PriceFileReader.Open(new MemoryStream(TestFiles.Zip(("PriceFull.gz", TestFiles.Gzip(PlainXml)))));
        Assert.Equal("zip", file.Container);
    }

    [Fact]
    public void Open_ZipWithTwoEntries_ThrowsNamingTheCount()
    {
        var zip = TestFiles.Zip(("a.xml", PlainXml), ("b.xml", PlainXml));
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.Open(zip));
        Assert.Contains("exactly one file, found 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HtmlPage_ThrowsWithTitle()
    {
        var html = "\r\n  <!DOCTYPE html>\n<html><head><title>Link expired\n - Portal</title></head><body>Sorry</body></html>";
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.Open(Encoding.UTF8.GetBytes(html)));
        Assert.Equal("portal returned an HTML page instead of a price file: Link expired - Portal", ex.Message);
    }

    [Fact]
    public void Open_GzippedHtmlWithoutDoctype_Throws()
    {
        var html = TestFiles.Gzip(Encoding.UTF8.GetBytes("<HTML><body>Error 500</body></HTML>"));
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.Open(html));
        Assert.StartsWith("portal returned an HTML page instead of a price file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_EmptyFile_ThrowsEmptyFile()
    {
        var raw = new NonSeekableStream([]);
        var ex = Assert.Throws<InvalidDataException>(() => PriceFileReader.Open(raw));
        Assert.Equal("empty file", ex.Message);
        Assert.True(raw.Disposed);
    }

    [Fact]
    public void Open_EmptyGzip_ThrowsEmptyFile()
    {
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.Open(TestFiles.Gzip([])));
        Assert.StartsWith("empty file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GzipWithBadCompressionMethod_ThrowsCorruptGzip()
    {
        var gz = TestFiles.Gzip(PlainXml);
        gz[2] = 0x07; // only 8 (deflate) exists
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.Open(gz));
        Assert.StartsWith("corrupt gzip: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrices_GzipWithDamagedBody_ThrowsInvalidData()
    {
        var xml = TestFiles.Utf8WithBom(TestFiles.PriceXml(string.Concat(Enumerable.Range(0, 2000).Select(i => TestFiles.Item(itemCode: $"{i}")))));
        var gz = TestFiles.Gzip(xml);
        for (var i = gz.Length / 2; i < (gz.Length / 2) + 64; i++)
        {
            gz[i] ^= 0x5A;
        }

        // Depending on where the damage falls, zlib refuses the block, or it inflates to bytes that are not
        // UTF-8 / not XML; every path must end in a clear InvalidDataException, never in rows of garbage.
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(gz));
        Assert.Matches("^(corrupt gzip|truncated or malformed XML|text is not valid utf-8)", ex.Message);
    }

    [Fact]
    public void ReadPrices_TruncatedGzip_ThrowsInvalidData()
    {
        var xml = TestFiles.Utf8WithBom(TestFiles.PriceXml(string.Concat(Enumerable.Range(0, 2000).Select(i => TestFiles.Item(itemCode: $"{i}")))));
        var gz = TestFiles.Gzip(xml);
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(gz[..(gz.Length / 2)]));
        Assert.Matches("^(corrupt gzip|truncated or malformed XML)", ex.Message);
    }

    [Fact]
    public void Dispose_DecodedFile_DisposesRawStream()
    {
        var raw = new NonSeekableStream(TestFiles.Gzip(PlainXml));
        var file = PriceFileReader.Open(raw);
        file.Dispose();
        Assert.True(raw.Disposed);
    }
}
