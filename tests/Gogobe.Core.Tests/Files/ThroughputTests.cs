using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Xml;
using Gogobe.Core.Files;
using Xunit.Abstractions;

namespace Gogobe.Core.Tests.Files;

/// <summary>
/// Reads a large realistic gzip file end to end and checks every row came out. It also prints the rate;
/// the rate is not asserted (machines differ). For a by-hand measurement set GOGOBE_READER_BENCH_ROWS=200000.
/// </summary>
public sealed class ThroughputTests(ITestOutputHelper output)
{
    [Fact]
    public void ReadPrices_LargeGzipFile_StreamsEveryRow()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("GOGOBE_READER_BENCH_ROWS"), out var n) ? n : 20_000;
        var gz = BuildFile(rows, out var xmlBytes);

        var stats = new ReadStats();
        var started = Stopwatch.GetTimestamp();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var count = 0;
        decimal sum = 0;
        using (var file = PriceFileReader.Open(new MemoryStream(gz)))
        {
            foreach (var row in PriceFileReader.ReadPrices(file, stats, CancellationToken.None))
            {
                count++;
                sum += row.ItemPrice;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        output.WriteLine(
            $"{rows} rows, {xmlBytes / rows} B/row XML, {gz.Length / 1024 / 1024.0:F1} MiB gz: {elapsed.TotalMilliseconds:F0} ms, " +
            $"{rows / elapsed.TotalSeconds:F0} rows/s, {xmlBytes / elapsed.TotalSeconds / 1024 / 1024:F0} MiB/s XML, {allocated / rows} B allocated/row");

        Assert.Equal(rows, count);
        Assert.Equal(rows, stats.RowsRead);
        Assert.Equal(0, stats.RowsRejected);
        Assert.Equal(Enumerable.Range(0, rows).Sum(i => 1m + (i % 1000 / 100m)), sum);
    }

    [Fact]
    public void ReadPromotions_LargeGzipFile_StreamsEveryPromotion()
    {
        var promotions = int.TryParse(Environment.GetEnvironmentVariable("GOGOBE_READER_BENCH_ROWS"), out var n) ? n / 10 : 5_000;
        var builder = new StringBuilder("<Root><ChainId>7290027600007</ChainId><SubChainId>001</SubChainId><StoreId>001</StoreId>");
        builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"<Promotions Count=\"{promotions}\">");
        for (var i = 0; i < promotions; i++)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"<Promotion><PromotionId>{i}</PromotionId><PromotionDescription>מבצע {i} על מוצרי חלב</PromotionDescription>");
            builder.Append(
                "<PromotionUpdateDate>2024-05-01 10:00:00</PromotionUpdateDate><PromotionStartDate>2024-05-01</PromotionStartDate>" +
                "<PromotionStartHour>00:00:00</PromotionStartHour><PromotionEndDate>2024-05-31</PromotionEndDate><PromotionEndHour>23:59:00</PromotionEndHour>" +
                "<RewardType>1</RewardType><MinQty>2</MinQty><DiscountedPrice>10</DiscountedPrice><AdditionalRestrictions><AdditionalIsCoupon>0</AdditionalIsCoupon>" +
                "<AdditionalGiftCount>0</AdditionalGiftCount></AdditionalRestrictions><Clubs><ClubId>0</ClubId></Clubs><PromotionItems Count=\"5\">");
            for (var j = 0; j < 5; j++)
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"<Item><ItemCode>{7290000000000L + (i * 5) + j}</ItemCode><ItemType>1</ItemType><IsGiftItem>0</IsGiftItem></Item>");
            }

            builder.Append("</PromotionItems></Promotion>");
        }

        var gz = TestFiles.Gzip(TestFiles.Utf8WithBom(builder.Append("</Promotions></Root>").ToString()));
        var stats = new ReadStats();
        var started = Stopwatch.GetTimestamp();
        var items = 0;
        using (var file = PriceFileReader.Open(new MemoryStream(gz)))
        {
            foreach (var promotion in PriceFileReader.ReadPromotions(file, stats, CancellationToken.None))
            {
                items += promotion.Items.Count;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        output.WriteLine($"{promotions} promotions ({items} items): {elapsed.TotalMilliseconds:F0} ms, {promotions / elapsed.TotalSeconds:F0} promotions/s");
        Assert.Equal(promotions, stats.RowsRead);
        Assert.Equal(promotions * 5, items);
        Assert.Empty(stats.WarningsByReason);
    }

    /// <summary>A PriceFull file of ~800-byte rows in the most common generator's style (UTF-8 BOM, CRLF, Hebrew text).</summary>
    private static byte[] BuildFile(int rows, out long xmlBytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var counter = new CountingStream(gzip))
        using (var writer = XmlWriter.Create(counter, new XmlWriterSettings { Encoding = new UTF8Encoding(true), Indent = true, NewLineChars = "\r\n" }))
        {
            writer.WriteStartElement("Root");
            writer.WriteElementString("XmlDocVersion", "1.0");
            writer.WriteElementString("ChainId", "7290027600007");
            writer.WriteElementString("SubChainId", "001");
            writer.WriteElementString("StoreId", "001");
            writer.WriteElementString("BikoretNo", "9");
            writer.WriteStartElement("Items");
            writer.WriteAttributeString("Count", rows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var i = 0; i < rows; i++)
            {
                var price = (1m + (i % 1000 / 100m)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                writer.WriteStartElement("Item");
                writer.WriteElementString("PriceUpdateDate", "2024-05-16 22:25:16");
                writer.WriteElementString("ItemCode", (7290000000000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteElementString("ItemType", "1");
                writer.WriteElementString("ItemName", $"חלב תנובה 3% שומן בקרטון מהדרין {i % 977} ליטר");
                writer.WriteElementString("ManufacturerName", "תנובה מרכז שיתופי לשיווק תוצרת חקלאית בישראל");
                writer.WriteElementString("ManufactureCountry", "ישראל");
                writer.WriteElementString("ManufacturerItemDescription", $"חלב בקרטון {i % 31} בטעם מיוחד");
                writer.WriteElementString("UnitQty", "ליטר");
                writer.WriteElementString("Quantity", "1.00");
                writer.WriteElementString("UnitOfMeasure", "100 מ\"ל");
                writer.WriteElementString("bIsWeighted", "0");
                writer.WriteElementString("QtyInPackage", "0");
                writer.WriteElementString("ItemPrice", price);
                writer.WriteElementString("UnitOfMeasurePrice", "0.69");
                writer.WriteElementString("AllowDiscount", "1");
                writer.WriteElementString("ItemStatus", "1");
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
            writer.WriteEndElement();

            writer.Flush();
            xmlBytes = counter.Written;
        }

        return output.ToArray();
    }

    /// <summary>Counts the XML bytes on their way into the compressor.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count)
        {
            Written += count;
            inner.Write(buffer, offset, count);
        }
    }
}
