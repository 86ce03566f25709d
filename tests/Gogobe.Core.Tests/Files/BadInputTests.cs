using System.IO.Compression;
using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>
/// Hostile and broken input, each with its documented outcome: an <see cref="InvalidDataException"/> with a clear
/// message for a file that cannot be read, a reject reason or a warning for a bad row, a repair for a fixable value.
/// </summary>
public sealed class BadInputTests
{
    private static readonly ReaderLimits SmallLimits = new(MaxDecompressedBytes: 4 * 1024 * 1024, RatioCheckAfterBytes: 1024 * 1024, MaxValueChars: 4096);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Maximum compression, as a bomb would be made.</summary>
    private static byte[] GzipBest(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        Assert.True(data.Length / output.Length > 300, $"test bomb only compresses {data.Length / output.Length}:1");
        return output.ToArray();
    }

    private static string Items(params string[] items) => TestFiles.PriceXml(string.Concat(items));

    private static InvalidDataException ReadFails(byte[] bytes, ReaderLimits? limits = null) =>
        Assert.Throws<InvalidDataException>(() =>
        {
            using var file = PriceFileReader.Open(new NonSeekableStream(bytes), limits);
            foreach (var unused in PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None))
            {
                _ = unused;
            }
        });

    [Fact]
    public void Read_TruncatedGzip_ThrowsCorruptOrTruncated()
    {
        var gz = TestFiles.Gzip(Utf8(Items([.. Enumerable.Range(0, 3000).Select(i => TestFiles.Item(itemCode: $"{i}"))])));
        Assert.Matches("^(corrupt gzip|truncated or malformed XML)", ReadFails(gz[..(gz.Length * 2 / 3)]).Message);
    }

    [Fact]
    public void Read_GzipBombPastRatio_ThrowsCompressionRatio()
    {
        // 3 MiB of empty elements compresses ~1000:1 (markup, so the value-length bound does not trip first).
        var gz = GzipBest(Utf8("<Root>" + string.Concat(Enumerable.Repeat("<X/>", 768 * 1024)) + "</Root>"));
        var ex = ReadFails(gz, SmallLimits);
        Assert.StartsWith("gzip compression ratio", ex.Message, StringComparison.Ordinal);
        Assert.Contains("decompression bomb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_GzipBombWithDefaultLimits_ThrowsCompressionRatio()
    {
        var gz = GzipBest(Utf8("<Root>" + string.Concat(Enumerable.Repeat("<X/>", 3 * 1024 * 1024)) + "</Root>"));
        Assert.StartsWith("gzip compression ratio", ReadFails(gz).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ZipBombDeclaredRatio_ThrowsBeforeInflating()
    {
        var zip = TestFiles.Zip(("PriceFull.xml", Utf8("<Root>" + new string(' ', 3 * 1024 * 1024) + "</Root>")));
        var ex = Assert.Throws<InvalidDataException>(() => PriceFileReader.Open(new MemoryStream(zip), SmallLimits));
        Assert.StartsWith("zip compression ratio", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PlainFilePastSizeLimit_ThrowsSizeLimit()
    {
        var limits = new ReaderLimits(MaxDecompressedBytes: 256 * 1024);
        var xml = Utf8(Items([.. Enumerable.Range(0, 3000).Select(i => TestFiles.Item(itemCode: $"{i}"))]));
        Assert.StartsWith("plain content exceeds the size limit of 262144 bytes", ReadFails(xml, limits).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BillionLaughs_ThrowsDtdProhibited()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Root [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <Root><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Items><Item><ItemCode>1</ItemCode><ItemName>&lol1;</ItemName><ItemPrice>1</ItemPrice></Item></Items></Root>
            """;
        Assert.Contains("DTD", ReadFails(Utf8(xml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ExternalEntity_ThrowsDtdProhibited()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Root [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <Root><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Items><Item><ItemCode>1</ItemCode><ItemName>&xxe;</ItemName><ItemPrice>1</ItemPrice></Item></Items></Root>
            """;
        Assert.Contains("DTD", ReadFails(Utf8(xml)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_HtmlInsteadOfGzip_ThrowsHtmlPage() =>
        Assert.StartsWith(
            "portal returned an HTML page instead of a price file: Link expired",
            ReadFails(Utf8("<!DOCTYPE html><html><head><title>Link expired</title></head><body/></html>")).Message,
            StringComparison.Ordinal);

    [Fact]
    public void Open_ZeroByteFile_ThrowsEmptyFile() => Assert.Equal("empty file", ReadFails([]).Message);

    [Fact]
    public void Open_ZipWithNoEntry_ThrowsExactlyOne() =>
        Assert.Equal("zip must hold exactly one file, found 0", ReadFails(TestFiles.Zip()).Message);

    [Fact]
    public void Open_ZipWithTwoEntries_ThrowsExactlyOneNamingThem() =>
        Assert.Equal(
            "zip must hold exactly one file, found 2: a.xml, b.xml",
            ReadFails(TestFiles.Zip(("a.xml", Utf8(Items(TestFiles.Item()))), ("b.xml", Utf8(Items(TestFiles.Item()))))).Message);

    [Fact]
    public void Open_CorruptZip_ThrowsCorruptZip() =>
        Assert.StartsWith("corrupt zip", ReadFails([.. "PK\u0003\u0004"u8, .. new byte[200]]).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_InvalidBytesInDeclaredUtf8_ThrowsNotValidUtf8()
    {
        // Declared UTF-8, then bytes that are not UTF-8 far past the sniffed head: refused, not garbled.
        var items = string.Concat(Enumerable.Range(0, 1500).Select(i => TestFiles.Item(itemCode: $"{i}", name: TestFiles.HebrewName)));
        var good = Utf8(TestFiles.PriceXml(items + "@@@", declaration: "<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
        var at = Array.IndexOf(good, (byte)'@');
        byte[] bytes = [.. good[..at], 0xFF, 0xFE, 0xE0, .. good[(at + 3)..]];
        Assert.StartsWith("text is not valid utf-8", ReadFails(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnpairedSurrogateInUtf16_ThrowsNotValidUtf16()
    {
        var text = Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"utf-16\"?>" + Items(TestFiles.Item(name: "A#B")));
        var hash = Encoding.Unicode.GetBytes("#");
        var at = text.AsSpan().IndexOf(hash);
        text[at] = 0x00;
        text[at + 1] = 0xD8; // a lone high surrogate where '#' was
        Assert.StartsWith("text is not valid utf-16", ReadFails([0xFF, 0xFE, .. text]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnpairedSurrogateInUtf16FarIntoTheFile_ThrowsNotValidUtf16()
    {
        var items = string.Concat(Enumerable.Range(0, 1000).Select(i => TestFiles.Item(itemCode: $"{i}", name: TestFiles.HebrewName)));
        var text = Encoding.Unicode.GetBytes(Items(items, TestFiles.Item(name: "A#B")));
        var at = text.AsSpan().IndexOf(Encoding.Unicode.GetBytes("#"));
        Assert.True(at > 128 * 1024);
        text[at] = 0x00;
        text[at + 1] = 0xDC; // a lone low surrogate
        Assert.StartsWith("text is not valid utf-16", ReadFails([0xFF, 0xFE, .. text]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UndefinedByteInWindows1255_ReadsAsReplacementCharacter()
    {
        // windows-1255 is the fallback for any non-UTF-8 file, so it is decoded leniently: a byte the code page leaves
        // undefined (0xFF) is decoded by the code-page provider's best fit in that one value rather than failing the file.
        var bytes = TestFiles.Windows1255.GetBytes("<?xml version=\"1.0\" encoding=\"windows-1255\"?>" + Items(TestFiles.Item(name: "חלב#")));
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;
        var row = Assert.Single(TestFiles.ReadPrices(bytes));
        Assert.StartsWith("חלב", row.ItemName, StringComparison.Ordinal);
        Assert.Equal(4, row.ItemName!.Length);
    }

    [Fact]
    public void Read_UnknownRoot_ThrowsNamingIt() =>
        Assert.StartsWith("unknown price file layout: root element /Catalog", ReadFails(Utf8("<Catalog><Item/></Catalog>")).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_UnknownListUnderKnownRoot_ThrowsNamingThePath() =>
        Assert.Equal(
            "no price items found; unrecognised elements: /Prices/Goods",
            ReadFails(Utf8("<Prices><ChainId>1</ChainId><Goods><Good><ItemCode>1</ItemCode></Good></Goods></Prices>")).Message);

    [Fact]
    public void Read_MismatchedTags_ThrowsMalformedWithLine() =>
        Assert.StartsWith("truncated or malformed XML at line 1", ReadFails(Utf8("<Root><Items><Item></Items></Root>")).Message, StringComparison.Ordinal);

    [Fact]
    public void Read_HugeElementOverLimit_ThrowsValueTooLong()
    {
        var ex = ReadFails(Utf8(Items(TestFiles.Item(name: new string('א', 10_000)))), SmallLimits);
        Assert.Equal("a value or tag is longer than the limit of 4096 characters", ex.Message);
    }

    [Fact]
    public void Read_HugeElementOverDefaultLimit_ThrowsValueTooLong()
    {
        var gz = TestFiles.Gzip(Utf8(Items(TestFiles.Item(name: string.Concat(Enumerable.Repeat("שלום עולם 123 ", 100_000))))));
        Assert.Equal("a value or tag is longer than the limit of 1048576 characters", ReadFails(gz).Message);
    }

    [Fact]
    public void Read_HugeCdataSplitByMarkup_ThrowsValueTooLong()
    {
        // CDATA may hold '<' so the text reader's run check alone would not see it: the assembled value is checked too.
        var cdata = "<![CDATA[" + string.Concat(Enumerable.Repeat(new string('x', 1000) + "<", 10)) + "]]>";
        Assert.Equal("a value or tag is longer than the limit of 4096 characters", ReadFails(Utf8(Items(TestFiles.Item(name: cdata))), SmallLimits).Message);
    }

    [Theory]
    [InlineData("Items")] // a known wrapper, walked into
    [InlineData("X")]     // an unknown element, skipped
    public void ReadPrices_DeepNesting_ThrowsTooDeep(string element)
    {
        var nested = string.Concat(Enumerable.Repeat($"<{element}>", 10_000)) + string.Concat(Enumerable.Repeat($"</{element}>", 10_000));
        Assert.Equal("elements nested deeper than the limit of 64", ReadFails(Utf8($"<Root>{nested}</Root>")).Message);
    }

    [Fact]
    public void ReadPromotions_DeepNestingInsideAPromotion_ThrowsTooDeepInsteadOfOverflowingTheStack()
    {
        var nested = string.Concat(Enumerable.Repeat("<W>", 100_000)) + "<PromotionId>1</PromotionId>" + string.Concat(Enumerable.Repeat("</W>", 100_000));
        using var file = TestFiles.Open(Utf8($"<Root><ChainId>1</ChainId><StoreId>1</StoreId><Promotions><Promotion>{nested}</Promotion></Promotions></Root>"));
        var ex = Assert.Throws<InvalidDataException>(() => PriceFileReader.ReadPromotions(file, new ReadStats(), CancellationToken.None).ToList());
        Assert.Equal("elements nested deeper than the limit of 64", ex.Message);
    }

    [Fact]
    public void ReadStores_DeepNesting_ThrowsTooDeep()
    {
        var nested = string.Concat(Enumerable.Repeat("<S><A>1</A>", 10_000)) + string.Concat(Enumerable.Repeat("</S>", 10_000));
        using var file = TestFiles.Open(Utf8($"<Root><ChainId>1</ChainId><SubChains>{nested}</SubChains></Root>"));
        var ex = Assert.Throws<InvalidDataException>(() => PriceFileReader.ReadStores(file, new ReadStats(), CancellationToken.None).ToList());
        Assert.Equal("elements nested deeper than the limit of 64", ex.Message);
    }

    [Fact]
    public void ReadPrices_RowProblems_RejectedWarnedOrRepairedAsDocumented()
    {
        var stats = new ReadStats();
        var rows = TestFiles.ReadPrices(
            Utf8(Items(
                TestFiles.Item(itemCode: "1", price: "12,90"),                 // decimal comma: repaired to 12.90
                TestFiles.Item(itemCode: "2", price: "-1"),                    // rejected: price out of range
                TestFiles.Item(itemCode: "3", price: "1e9"),                   // rejected: price out of range
                TestFiles.Item(itemCode: "", price: "1"),                      // rejected: missing ItemCode
                "<Item><ItemCode>4</ItemCode><ItemPrice>2</ItemPrice><PriceUpdateDate>31/02/2024 25:00</PriceUpdateDate></Item>", // kept, date null, warned
                TestFiles.Item(itemCode: "5", price: "3"),
                TestFiles.Item(itemCode: "5", price: "3"),                     // duplicate: both yielded (dedup is downstream)
                TestFiles.Item(itemCode: "6  ", price: " 4.50 ", name: "P&G  "), // bare & escaped, trailing spaces trimmed
                TestFiles.Item(itemCode: "7", price: "1,234,5"))),             // not a number: bad price
            stats);

        Assert.Equal(["1", "4", "5", "5", "6"], rows.Select(r => r.ItemCode));
        Assert.Equal(12.90m, rows[0].ItemPrice);
        Assert.Null(rows[1].PriceUpdateDate);
        Assert.Equal(4.50m, rows[4].ItemPrice);
        Assert.Equal("P&G", rows[4].ItemName);
        Assert.Equal(2, stats.RejectsByReason["price out of range"]);
        Assert.Equal(1, stats.RejectsByReason["missing ItemCode"]);
        Assert.Equal(1, stats.RejectsByReason["bad price"]);
        Assert.Equal(1, stats.WarningsByReason["bad PriceUpdateDate"]);
        // 12,90 (1) + "6  " (1) + " 4.50 " (1) + "P&G  " trimmed (1) + the bare & (1).
        Assert.Equal(5, stats.Repairs);
    }

    [Fact]
    public void ReadPrices_CountZero_NoRowsNoError()
    {
        var stats = new ReadStats();
        Assert.Empty(TestFiles.ReadPrices(Utf8($"<Root><ChainId>{TestFiles.ChainId}</ChainId><StoreId>1</StoreId><Items Count=\"0\"/></Root>"), stats));
        Assert.Equal(PriceShapes.Standard, stats.Shape);
        Assert.Equal(0, stats.RowsRejected);
    }

    [Theory]
    [InlineData("<Root><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Promotions/></Root>")]
    [InlineData("<Root><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Promotions Count=\"0\"></Promotions></Root>")]
    [InlineData("<Promos><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Sales/></Promos>")]
    [InlineData("<OrderXml><Envelope><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Header/><Details/></Envelope></OrderXml>")]
    public void ReadPromotions_EmptyList_NoRowsNoError(string xml)
    {
        var stats = new ReadStats();
        using var file = TestFiles.Open(Utf8(xml));
        Assert.Empty(PriceFileReader.ReadPromotions(file, stats, CancellationToken.None));
        Assert.NotNull(stats.Shape);
        Assert.Equal(0, stats.RowsRejected);
    }

    [Fact]
    public void ReadPromotions_UnknownLayout_ThrowsNamingThePath()
    {
        using var file = TestFiles.Open(Utf8("<Root><ChainId>1</ChainId><Deals><Deal><Id>1</Id></Deal></Deals></Root>"));
        var ex = Assert.Throws<InvalidDataException>(() => PriceFileReader.ReadPromotions(file, new ReadStats(), CancellationToken.None).ToList());
        Assert.Equal("unknown promotions file layout under root element /Root: unrecognised elements: /Root/Deals", ex.Message);
    }

    [Theory]
    [InlineData("../../etc/passwd", "path separator")]
    [InlineData("..", "relative path")]
    [InlineData("/etc/cron.d/x", "path separator")]
    [InlineData("C:\\Windows\\x.gz", "drive or stream separator ':'")]
    [InlineData("a\\..\\..\\x.gz", "path separator")]
    [InlineData("C:x.gz", "drive or stream separator ':'")]
    [InlineData("PriceFull7290027600007-001-202410070010.gz\u0000.sh", "control character")]
    [InlineData("Price\nFull.gz", "control character")]
    [InlineData("", "empty")]
    [InlineData(" PriceFull.gz", "leading or trailing whitespace")]
    [InlineData("PriceFull.gz.", "trailing dot")]
    public void SanitizeFileName_UnsafePortalName_ThrowsNamingTheProblem(string name, string problem)
    {
        var ex = Assert.Throws<ArgumentException>(() => PriceFileName.SanitizeFileName(name));
        Assert.Contains($"({problem})", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0000", ex.Message, StringComparison.Ordinal);
        Assert.False(PriceFileName.IsSafeFileName(name));
    }

    [Theory]
    [InlineData("PriceFull7290027600007-001-202410070010.gz")]
    [InlineData("PromoFull7290058249350-000-038-20260217-000027")]
    [InlineData("NULLPrice7290027600007-001-202410070010.xml")]
    public void SanitizeFileName_PlainName_ReturnedUnchanged(string name) =>
        Assert.Same(name, PriceFileName.SanitizeFileName(name));

    [Fact]
    public void SanitizeFileName_TooLong_Throws() =>
        Assert.Throws<ArgumentException>(() => PriceFileName.SanitizeFileName(new string('a', 256)));

    [Fact]
    public void Inspect_UnknownNameScheme_DetectsKindFromContent()
    {
        var bytes = TestFiles.Gzip(TestFiles.Utf8WithBom(Items(TestFiles.Item(), TestFiles.Item(itemCode: "2"))));
        var inspection = PriceFileReader.Inspect(new NonSeekableStream(bytes), "export_2024-10-07.bin", CancellationToken.None);

        Assert.Equal("unrecognised name", inspection.NameSummary);
        Assert.Null(inspection.Name);
        Assert.Equal(FileKind.Price, inspection.Kind);
        Assert.Equal("content", inspection.KindSource);
        Assert.Equal(PriceShapes.Standard, inspection.Shape);
        Assert.Equal(2, inspection.RowsRead);
        Assert.True(inspection.Succeeded);
    }

    [Fact]
    public void Inspect_NullPlaceholderName_ReportsPlaceholderAndTheEmptyFile()
    {
        var inspection = PriceFileReader.Inspect(new MemoryStream([]), "NULLPriceFull7290027600007-001-202410070010.gz", CancellationToken.None);

        Assert.StartsWith("placeholder PriceFull chain 7290027600007", inspection.NameSummary, StringComparison.Ordinal);
        Assert.True(inspection.Name!.IsPlaceholder);
        Assert.Equal("name", inspection.KindSource);
        Assert.Equal("empty file", inspection.Error);
    }

    [Fact]
    public void Inspect_BrokenFile_ReportsErrorWithoutThrowing()
    {
        var inspection = PriceFileReader.Inspect(
            new MemoryStream(Utf8("<html><title>Error 404</title></html>")), "PriceFull7290027600007-001-202410070010.gz", CancellationToken.None);

        Assert.Equal("PriceFull chain 7290027600007 store 1 at 2024-10-07 00:10:00", inspection.NameSummary);
        Assert.False(inspection.Succeeded);
        Assert.Equal("portal returned an HTML page instead of a price file: Error 404", inspection.Error);
        Assert.Null(inspection.Container);
    }

    [Fact]
    public void Inspect_RowProblems_ReportsRejectsWarningsAndRepairs()
    {
        var xml = Utf8(Items(TestFiles.Item(itemCode: "1", price: "12,90"), TestFiles.Item(itemCode: "2", price: "-1"),
            "<Item><ItemCode>3</ItemCode><ItemPrice>2</ItemPrice><PriceUpdateDate>yesterday</PriceUpdateDate></Item>"));
        var inspection = PriceFileReader.Inspect(new MemoryStream(xml), "Price7290027600007-001-202410070010", CancellationToken.None);

        Assert.True(inspection.Succeeded);
        Assert.Equal("plain", inspection.Container);
        Assert.Equal("utf-8", inspection.Encoding);
        Assert.Equal(2, inspection.RowsRead);
        Assert.Equal(1, inspection.RowsRejected);
        Assert.Equal(1, inspection.RejectsByReason["price out of range"]);
        Assert.Equal(1, inspection.WarningsByReason["bad PriceUpdateDate"]);
        Assert.Equal(1, inspection.Repairs);
    }

    [Fact]
    public void Inspect_UnknownNameAndNoKnownList_ReportsUnknownKind()
    {
        var inspection = PriceFileReader.Inspect(new MemoryStream(Utf8("<Catalog><Thing/></Catalog>")), "catalog.xml", CancellationToken.None);
        Assert.Null(inspection.Kind);
        Assert.Equal("unknown", inspection.KindSource);
        Assert.StartsWith("cannot tell the file's kind", inspection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_GzipStreamLimitsDoNotTripOnRealisticFile()
    {
        // A realistic file well past the ratio check threshold compresses far below 200:1.
        var items = string.Concat(Enumerable.Range(0, 20_000).Select(i => TestFiles.Item(itemCode: $"72900{i:D8}", price: $"{i % 100}.90", name: TestFiles.HebrewName + " " + i)));
        var gz = TestFiles.Gzip(TestFiles.Utf8WithBom(TestFiles.PriceXml(items)));
        Assert.Equal(20_000, TestFiles.ReadPrices(gz).Count);
        Assert.True(gz.Length > 0 && new GZipStream(new MemoryStream(gz), CompressionMode.Decompress) is not null);
    }
}
