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
