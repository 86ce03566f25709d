using System.Globalization;
using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>
/// The fast price scanner on the cases it takes itself and the ones it hands to XmlReader: each compared with the
/// XmlReader parser (rows and stats), and checked for who read the rows.
/// </summary>
public sealed class FastPriceParserTests
{
    private static readonly string Rows = string.Concat(Enumerable.Range(1, 5).Select(i => TestFiles.Item(itemCode: "72900000000" + i.ToString("00", CultureInfo.InvariantCulture))));

    [Fact]
    public void StandardFile_ScannerReadsEveryRow()
    {
        var (rows, scanned, fellBack) = Both(TestFiles.PriceXml(Rows));

        Assert.Equal(5, rows.Count);
        Assert.Equal(5, scanned);
        Assert.False(fellBack);
        Assert.Equal("7290000000001", rows[0].ItemCode);
        Assert.Equal(5.90m, rows[0].ItemPrice);
        Assert.Equal(new DateTime(2024, 5, 16, 22, 25, 16), rows[0].PriceUpdateDate);
    }

    [Fact]
    public void RowsLaidOutDifferently_ScannerReadsEachAsXmlReaderDoes()
    {
        // The scanner compares a field's white space and start tag with the row before's at the same position: rows that
        // change layout, order, tag form or names must read exactly as with the general way.
        string Row(string code, string ws, string name = "ItemName", string nameTag = "<ItemName>", string price = "<ItemPrice>5.90</ItemPrice>") =>
            $"<Item>{ws}<ItemCode>{code}</ItemCode>{ws}{nameTag}{name}</ItemName>{ws}{price}{ws}<ItemType>1</ItemType>{ws}</Item>\r\n";
        var xml = TestFiles.PriceXml(
            Row("1", "\r\n      ") +
            Row("2", "\r\n      ") +
            Row("3", "\n  ") +                                              // other white space
            Row("4", "") +                                                  // none
            Row("5", "\r\n      ", nameTag: "<ItemName  >") +               // spaces in the tag
            $"<Item>\r\n      <ItemCode>6</ItemCode>\r\n      <ItemName/>\r\n      <ItemPrice>1</ItemPrice></Item>\r\n" +
            $"<Item>\r\n      <ItemPrice>7.5</ItemPrice>\r\n      <ItemCode>7</ItemCode>\r\n      <ItemNames>x</ItemNames></Item>\r\n" +
            Row("8", "\r\n      ", price: "<ItemPrice>8</ItemPrice><ManufacturerName>M</ManufacturerName>") +
            Row("9", "\r\n      ") +
            Row("10", "\r\n" + new string(' ', 200)));                     // white space longer than is remembered

        var (rows, scanned, fellBack) = Both(xml);

        Assert.Equal(10, scanned);
        Assert.False(fellBack);
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"], rows.Select(r => r.ItemCode));
        Assert.Equal([5.90m, 5.90m, 5.90m, 5.90m, 5.90m, 1m, 7.5m, 8m, 5.90m, 5.90m], rows.Select(r => r.ItemPrice));
        Assert.Null(rows[5].ItemName);
        Assert.Null(rows[6].ItemName);
        Assert.Equal("M", rows[7].ManufacturerName);
        Assert.Null(rows[8].ManufacturerName);
    }

    [Fact]
    public void CdataInARow_FallsBackThereAndReadsTheRestAlike()
    {
        var xml = TestFiles.PriceXml(Rows + TestFiles.Item(itemCode: "77", name: "<![CDATA[A < B]]>") + Rows);

        var (rows, scanned, fellBack) = Both(xml);

        Assert.Equal(11, rows.Count);
        Assert.Equal(5, scanned);
        Assert.True(fellBack);
        Assert.Equal("A < B", rows[5].ItemName);
    }

    [Fact]
    public void ReferencesAndBareAmpersands_ReadLikeXmlReader()
    {
        var xml = TestFiles.PriceXml(
            TestFiles.Item(itemCode: "1", name: "Procter & Gamble") +
            TestFiles.Item(itemCode: "2", name: "a &lt;b&gt; &#1488;&#x5D1; &quot;c&apos; &amp; d") +
            TestFiles.Item(itemCode: "3", name: "AT&T x & &#;"));

        var (rows, scanned, fellBack) = Both(xml, out var stats);

        Assert.Equal(["Procter & Gamble", "a <b> אב \"c' & d", "AT&T x & &#;"], rows.Select(r => r.ItemName));
        Assert.Equal(3, scanned);
        Assert.False(fellBack);
        Assert.Equal(4, stats.Repairs); // the bare '&' of row 1 and the three of row 3
    }

    [Fact]
    public void UndefinedEntity_BothFail()
    {
        var xml = TestFiles.PriceXml(Rows + TestFiles.Item(itemCode: "9", name: "&nbsp;"));

        var slow = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.XmlReader));
        var fast = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.Fast));

        Assert.StartsWith("truncated or malformed XML", slow.Message, StringComparison.Ordinal);
        Assert.Equal(slow.Message, fast.Message);
    }

    [Fact]
    public void MixedLineEndsOverManyBuffers_ErrorNamesTheSameLineAsXmlReader()
    {
        // CR LF, LF and lone CRs between rows, over several of the scanner's buffers (its line count is kept as text is
        // dropped), then a row only XmlReader judges: both must name the same line.
        var ends = new[] { "\r\n", "\n", "\r", "\r\n\r\n", "\r\r\n" };
        var rows = string.Concat(Enumerable.Range(1, 3_000).Select(i =>
            TestFiles.Item(itemCode: "729" + i.ToString("0000000000", CultureInfo.InvariantCulture)) + ends[i % ends.Length]));
        var xml = TestFiles.PriceXml(rows + TestFiles.Item(itemCode: "9", name: "&nbsp;"));

        var slow = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.XmlReader));
        var fast = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.Fast));

        var before = xml[..xml.IndexOf("&nbsp;", StringComparison.Ordinal)];
        var line = 1 + Enumerable.Range(0, before.Length).Count(i => before[i] == '\n' || (before[i] == '\r' && before[i + 1] != '\n'));
        Assert.StartsWith($"truncated or malformed XML at line {line},", slow.Message, StringComparison.Ordinal);
        Assert.Equal(slow.Message, fast.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void LineBreaks_AgreeWithACharByCharCount(int seed)
    {
        var random = new Random(seed);
        for (var n = 0; n < 200; n++)
        {
            var text = new string([.. Enumerable.Range(0, random.Next(0, 100)).Select(_ => "\r\nab\u0d0a\u0a0d"[random.Next(6)])]);
            var expected = Enumerable.Range(0, text.Length).Count(i => text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')));

            Assert.Equal(expected, FastPriceParser.LineBreaks(text));
        }
    }

    [Fact]
    public void Doctype_RefusedAsBefore()
    {
        var xml = "<!DOCTYPE Root [<!ENTITY big \"x\">]>" + TestFiles.PriceXml(Rows);

        var slow = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.XmlReader));
        var fast = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.Fast));

        Assert.Equal(slow.Message, fast.Message);
    }

    [Fact]
    public void HeaderIdsBetweenRows_ApplyToLaterRowsAsBefore()
    {
        var xml = TestFiles.PriceXml(Rows + "<StoreId> 44 </StoreId>" + Rows);

        var (rows, scanned, fellBack) = Both(xml, out var stats);

        Assert.Equal(10, rows.Count);
        Assert.Equal(5, scanned);
        Assert.True(fellBack);
        Assert.Equal([1, 1, 1, 1, 1, 44, 44, 44, 44, 44], rows.Select(r => r.StoreId));
        Assert.Equal(1, stats.Repairs); // " 44 " trimmed; the opening's header values are not counted again
    }

    [Fact]
    public void ValueOverTheLimit_Fails()
    {
        var limits = new ReaderLimits(MaxValueChars: 1000);
        var xml = TestFiles.PriceXml(Rows + TestFiles.Item(itemCode: "9", name: new string('x', 1500)));

        var fast = Assert.Throws<InvalidDataException>(() => Read(xml, PriceParser.Fast, limits));

        Assert.Equal("a value or tag is longer than the limit of 1000 characters", fast.Message);
    }

    [Fact]
    public void WhitespaceValues_AreNoValue_AndTrimmedValuesAreRepairs()
    {
        var xml = TestFiles.PriceXml(
            TestFiles.Item(itemCode: " 5 ", price: "7,50", name: "   ", extra: "<ManufacturerName>\u00A0</ManufacturerName><Quantity/><UnitQty />"));

        var (rows, _, fellBack) = Both(xml, out var stats);

        var row = Assert.Single(rows);
        Assert.False(fellBack);
        Assert.Equal("5", row.ItemCode);
        Assert.Equal(7.50m, row.ItemPrice);
        Assert.Null(row.ItemName);
        Assert.Null(row.ManufacturerName);
        Assert.Equal(3, stats.Repairs); // " 5 ", "7,50", "\u00A0"
    }

    [Fact]
    public void DataSetLayout_ScannerReadsRowsWithTheirOwnIds()
    {
        const string xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <NewDataSet>
              <xs:schema id="NewDataSet" xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="NewDataSet" /></xs:schema>
              <item><ChainId>7290000000001</ChainId><SubChainId>1</SubChainId><StoreId>012</StoreId><ItemCode>1</ItemCode><ItemNm>A</ItemNm><ItemPrice>1.00</ItemPrice></item>
              <item><ChainId>7290000000001</ChainId><SubChainId>1</SubChainId><StoreId>013</StoreId><ItemCode>2</ItemCode><ItemNm>B</ItemNm><ItemPrice>2.00</ItemPrice></item>
            </NewDataSet>
            """;

        var (rows, scanned, fellBack) = Both(xml, out var stats);

        Assert.Equal([12, 13], rows.Select(r => r.StoreId));
        Assert.Equal(["A", "B"], rows.Select(r => r.ItemName));
        Assert.Equal(2, scanned);
        Assert.False(fellBack);
        Assert.Equal(PriceShapes.DataSet, stats.Shape);
    }

    [Fact]
    public void CommentAfterTheRoot_HandedBackAndAccepted()
    {
        var xml = TestFiles.PriceXml(Rows) + "<!-- generated -->\r\n";

        var (rows, scanned, fellBack) = Both(xml);

        Assert.Equal(5, rows.Count);
        Assert.Equal(5, scanned);
        Assert.True(fellBack);
    }

    [Fact]
    public void CancelledWhileToppingUpTheBuffer_StopsAtTheNextRead()
    {
        // 2,000 rows (~600K chars) arriving 512 bytes a read, as over a slow download: one top-up of the buffer takes
        // some 170 reads (without the check, the 300th read's cancel was seen at the 441st), and a cancelled file must
        // not wait for them. The first 64 KiB are read at opening to sniff the encoding, so the cancel comes later.
        var rows = string.Concat(Enumerable.Range(1, 2_000).Select(i => TestFiles.Item(itemCode: "729" + i.ToString("0000000000", CultureInfo.InvariantCulture))));
        using var cancel = new CancellationTokenSource();
        var source = new TricklingStream(TestFiles.Utf8WithBom(TestFiles.PriceXml(rows)), cancelAfterReads: 300, cancel);
        using var file = PriceFileReader.Open(source);

        Assert.Throws<OperationCanceledException>(() => PriceFileReader.ReadPrices(file, new ReadStats(), cancel.Token).ToList());

        Assert.InRange(source.Reads, 300, 301);
    }

    /// <summary>Reads with both parsers, asserts equal rows and stats; returns the fast parser's rows and who read them.</summary>
    private static (List<PriceRow> Rows, int Scanned, bool FellBack) Both(string xml) => Both(xml, out _);

    private static (List<PriceRow> Rows, int Scanned, bool FellBack) Both(string xml, out ReadStats stats)
    {
        var (slowRows, slowStats) = Read(xml, PriceParser.XmlReader);
        using var file = PriceFileReader.Open(new MemoryStream(TestFiles.Utf8WithBom(xml)));
        stats = new ReadStats();
        using var parser = new FastPriceParser(file, stats);
        var rows = new List<PriceRow>();
        while (parser.Next() is { } row)
        {
            rows.Add(row);
        }

        Assert.Equal(slowRows.Select(Describe), rows.Select(Describe));
        Assert.Equal(Describe(slowStats), Describe(stats));
        return (rows, parser.ScannedRows, parser.FellBack);
    }

    private static (List<PriceRow> Rows, ReadStats Stats) Read(string xml, PriceParser parser, ReaderLimits? limits = null)
    {
        using var file = PriceFileReader.Open(new MemoryStream(TestFiles.Utf8WithBom(xml)), limits);
        var stats = new ReadStats();
        return ([.. PriceFileReader.ReadPrices(file, stats, parser, CancellationToken.None)], stats);
    }

    private static string Describe(PriceRow r) => string.Join(
        '|', r.ChainId, r.SubChainId, r.StoreId, r.ItemCode, r.ItemType, r.ItemName, r.ManufacturerName, r.ManufactureCountry,
        r.ManufacturerItemDescription, r.UnitQty, r.Quantity, r.UnitOfMeasure, r.IsWeighted, r.QtyInPackage,
        r.ItemPrice.ToString(CultureInfo.InvariantCulture), r.UnitOfMeasurePrice, r.AllowDiscount, r.ItemStatus, r.PriceUpdateDate, r.ProductKey);

    private static string Describe(ReadStats s)
    {
        var text = new StringBuilder(s.ToString());
        text.Append(CultureInfo.InvariantCulture, $"; {s.Shape}; warnings ");
        foreach (var (reason, count) in s.WarningsByReason.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"{reason}={count},");
        }

        return text.ToString();
    }

    /// <summary>Hands out at most 512 bytes a read and cancels <paramref name="cancel"/> on its <paramref name="cancelAfterReads"/>th read.</summary>
    private sealed class TricklingStream(byte[] bytes, int cancelAfterReads, CancellationTokenSource cancel) : MemoryStream(bytes)
    {
        public int Reads { get; private set; }

        // MemoryStream sends span reads of a derived stream here.
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (++Reads == cancelAfterReads)
            {
                cancel.Cancel();
            }

            return base.Read(buffer, offset, Math.Min(count, 512));
        }
    }
}
