using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Gogobe.Core.Files;

namespace Gogobe.Simulator.Tests;

public sealed class SimulatedWorldTests
{
    private const string RamiLevy = "7290058140886";
    private const string Shufersal = "7290027600007";

    private static string PriceFullName(SimulatedWorld world, string chainId, int store) =>
        world.FileNames(chainId).Single(n => n.StartsWith("PriceFull", StringComparison.Ordinal) && n.Contains($"-{store:000}-", StringComparison.Ordinal));

    [Fact]
    public async Task WriteFileAsync_SameSeed_ProducesSameBytes()
    {
        var first = new SimulatedWorld(TestFiles.Options(seed: 7));
        var second = new SimulatedWorld(TestFiles.Options(seed: 7));
        foreach (var name in first.FileNames(RamiLevy))
        {
            Assert.Equal(await TestFiles.GenerateAsync(first, RamiLevy, name), await TestFiles.GenerateAsync(second, RamiLevy, name));
        }
    }

    [Fact]
    public async Task WriteFileAsync_DifferentSeed_ProducesDifferentBytes()
    {
        var first = new SimulatedWorld(TestFiles.Options(seed: 7));
        var second = new SimulatedWorld(TestFiles.Options(seed: 8));
        var name = PriceFullName(first, RamiLevy, 1);
        Assert.NotEqual(await TestFiles.GenerateAsync(first, RamiLevy, name), await TestFiles.GenerateAsync(second, RamiLevy, name));
    }

    [Fact]
    public async Task ExpectedPrices_AllChainsAndStores_MatchGeneratedXml()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 400, stores: 2));
        foreach (var chain in world.Chains.Select(c => c.Chain.Id))
        {
            foreach (var store in world.StoreIds(chain))
            {
                var file = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, chain, PriceFullName(world, chain, store)), world.EncodingOf(chain));
                Assert.Equal(chain, file.Header["ChainId"]);
                Assert.Equal(store.ToString("000", CultureInfo.InvariantCulture), file.Header["StoreId"]);
                Assert.Equal(world.ExpectedRowsInFile(chain, store), file.Rows.Count);
                Assert.Equal(file.Rows.Count, file.DeclaredCount);
                Assert.Equal(world.ExpectedPrices(chain, store).OrderBy(p => p.Key), TestFiles.Prices(file, chain).OrderBy(p => p.Key));
            }
        }
    }

    [Fact]
    public async Task WriteFileAsync_PriceFull_RowsAreRealistic()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 2000, stores: 1));
        var file = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, RamiLevy, PriceFullName(world, RamiLevy, 1)), world.EncodingOf(RamiLevy));
        var barcoded = file.Rows.Where(r => r["ItemType"] == "1").ToList();
        var internalRows = file.Rows.Where(r => r["ItemType"] == "0").ToList();

        Assert.All(barcoded, r => Assert.True(IsGs1(r["ItemCode"]), $"{r["ItemCode"]} is not a valid 13-digit GS1 code"));
        Assert.InRange(internalRows.Count, file.Rows.Count * 2 / 100, file.Rows.Count * 9 / 100);
        Assert.All(internalRows, r =>
        {
            Assert.InRange(r["ItemCode"].Length, 4, 6);
            Assert.Equal("1", r["bIsWeighted"]);
        });
        Assert.All(file.Rows, r =>
        {
            Assert.Matches(@"^\d+\.\d\d$", r["ItemPrice"]);
            Assert.Matches(@"^\d+\.\d\d$", r["UnitOfMeasurePrice"]);
            Assert.True(DateTime.TryParseExact(r["PriceUpdateDate"], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
            Assert.Matches("[א-ת]", r["ItemName"]);
        });
        Assert.Contains(file.Rows, r => r["QtyInPackage"] == "לא ידוע");
        Assert.Contains(file.Rows, r => r["UnitQty"] == "גרמים");
        Assert.Contains(file.Rows, r => r["UnitOfMeasure"] == "100 גרם");
    }

    [Fact]
    public void ExpectedPrices_TwoChains_ShareBarcodesButNotInternalCodes()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 1000, stores: 1));
        var rami = world.ExpectedPrices(RamiLevy, 1).Keys.ToHashSet();
        var shufersal = world.ExpectedPrices(Shufersal, 1).Keys.ToHashSet();

        var shared = rami.Intersect(shufersal).ToList();
        Assert.True(shared.Count > 100, $"only {shared.Count} products in common");
        Assert.All(shared, key => Assert.StartsWith("b:", key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WriteFileAsync_DuplicateRate_RepeatsEarlierRowsExactlyAtThatRate()
    {
        const int items = 5000;
        var world = new SimulatedWorld(TestFiles.Options(items: items, stores: 1, duplicateRate: 0.05));
        var file = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, RamiLevy, PriceFullName(world, RamiLevy, 1)), world.EncodingOf(RamiLevy));

        var firstSeen = new Dictionary<string, string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var row in file.Rows)
        {
            var key = ProductKeys.For(int.Parse(row["ItemType"], CultureInfo.InvariantCulture), RamiLevy, row["ItemCode"]);
            var text = string.Join('|', row.Select(p => p.Key + "=" + p.Value));
            if (firstSeen.TryGetValue(key, out var earlier))
            {
                duplicates++;
                Assert.Equal(earlier, text);
            }
            else
            {
                firstSeen[key] = text;
            }
        }

        Assert.Equal(items, firstSeen.Count);
        Assert.Equal(file.Rows.Count - items, duplicates);
        Assert.InRange(duplicates, items * 3.5 / 100, items * 6.5 / 100);
    }

    [Fact]
    public void AdvanceDay_Fraction_ChangesExactlyTheReturnedPrices()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 500, stores: 3));
        var before = Snapshot(world);

        var changes = world.AdvanceDay(0.1);

        var after = Snapshot(world);
        Assert.Equal(TestFiles.Day.AddDays(1), world.Day);
        var changed = before.Where(p => after[p.Key] != p.Value)
            .Select(p => (p.Key.Chain, p.Key.Store, p.Key.Product, p.Value, after[p.Key]))
            .OrderBy(c => c.ToString(), StringComparer.Ordinal)
            .ToList();
        var reported = changes.Select(c => (c.ChainId, c.StoreId, c.ProductKey, c.OldPrice, c.NewPrice))
            .OrderBy(c => c.ToString(), StringComparer.Ordinal)
            .ToList();
        Assert.Equal(changed, reported);
        Assert.InRange(changes.Count, before.Count * 7 / 100, before.Count * 13 / 100);
        Assert.All(changes, c => Assert.True(c.NewPrice > 0));
    }

    [Fact]
    public void AdvanceDay_SameSeed_ChangesTheSamePrices()
    {
        var first = new SimulatedWorld(TestFiles.Options());
        var second = new SimulatedWorld(TestFiles.Options());
        Assert.Equal(first.AdvanceDay(0.05), second.AdvanceDay(0.05));
    }

    [Fact]
    public async Task AdvanceDay_Cerberus_PublishesYesterdaysSnapshotWithYesterdaysPrices()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 300, stores: 2));
        var yesterdayName = PriceFullName(world, RamiLevy, 1);
        var yesterdayPrices = world.ExpectedPrices(RamiLevy, 1);

        world.AdvanceDay(0.2);

        var names = world.FileNames(RamiLevy, includeHistory: true);
        Assert.Contains(yesterdayName, names);
        Assert.Contains(PriceFullName(world, RamiLevy, 1), names);
        Assert.Equal(1 + (2 * 2), names.Count);
        Assert.DoesNotContain(yesterdayName, world.FileNames(Shufersal, includeHistory: true).Concat(world.FileNames(RamiLevy)));
        var old = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, RamiLevy, yesterdayName), world.EncodingOf(RamiLevy));
        Assert.Equal(yesterdayPrices.OrderBy(p => p.Key), TestFiles.Prices(old, RamiLevy).OrderBy(p => p.Key));
        Assert.NotEqual(yesterdayPrices.OrderBy(p => p.Key), world.ExpectedPrices(RamiLevy, 1).OrderBy(p => p.Key));
    }

    [Fact]
    public async Task WriteFileAsync_UnpublishedName_ThrowsFileNotFound()
    {
        var world = new SimulatedWorld(TestFiles.Options());
        await Assert.ThrowsAsync<FileNotFoundException>(() => TestFiles.GenerateAsync(world, RamiLevy, $"PriceFull{RamiLevy}-009-202602170300.gz"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => TestFiles.GenerateAsync(world, RamiLevy, $"PriceFull{RamiLevy}-001-202602150300.gz"));
    }

    [Fact]
    public async Task InjectFault_CorruptGzip_HasGzipHeaderButDoesNotInflate()
    {
        var world = new SimulatedWorld(TestFiles.Options());
        world.InjectFault(RamiLevy, 2, FileKind.PriceFull, FileFault.CorruptGzip);

        var bytes = await TestFiles.GenerateAsync(world, RamiLevy, PriceFullName(world, RamiLevy, 2));

        Assert.Equal([0x1f, 0x8b, 0x08], bytes[..3]);
        Assert.Throws<InvalidDataException>(() => TestFiles.Gunzip(bytes));
        TestFiles.Gunzip(await TestFiles.GenerateAsync(world, RamiLevy, PriceFullName(world, RamiLevy, 1)));
    }

    [Fact]
    public async Task InjectFault_TruncatedXml_IsValidGzipOfXmlCutMidElement()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 1000));
        world.InjectFault(RamiLevy, 1, FileKind.PriceFull, FileFault.TruncatedXml);
        world.InjectFault(RamiLevy, 0, FileKind.Stores, FileFault.TruncatedXml);

        foreach (var name in new[] { PriceFullName(world, RamiLevy, 1), world.FileNames(RamiLevy).Single(n => n.StartsWith("Stores", StringComparison.Ordinal)) })
        {
            var xml = TestFiles.Gunzip(await TestFiles.GenerateAsync(world, RamiLevy, name));
            Assert.True(xml.Length > 200);
            Assert.Throws<XmlException>(() => TestFiles.Parse(xml, world.EncodingOf(RamiLevy)));
        }

        world.InjectFault(RamiLevy, 1, FileKind.PriceFull, FileFault.None);
        var repaired = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, RamiLevy, PriceFullName(world, RamiLevy, 1)), world.EncodingOf(RamiLevy));
        Assert.Equal(world.ExpectedRowsInFile(RamiLevy, 1), repaired.Rows.Count);
    }

    [Fact]
    public async Task WriteFileAsync_StoresFile_HasStandardShapeWithHebrewNames()
    {
        var world = new SimulatedWorld(TestFiles.Options(stores: 7));
        var name = world.FileNames(RamiLevy).Single(n => n.StartsWith("Stores", StringComparison.Ordinal));
        Assert.Matches(@"^Stores7290058140886-000-20260217\d{4}\.gz$", name);

        var file = TestFiles.ParseGz(await TestFiles.GenerateAsync(world, RamiLevy, name), world.EncodingOf(RamiLevy));

        Assert.Equal(RamiLevy, file.Header["ChainId"]);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => i.ToString(CultureInfo.InvariantCulture)), file.Rows.Select(r => r["StoreId"]));
        Assert.All(file.Rows, r => Assert.Equal(world.StoreName(RamiLevy, int.Parse(r["StoreId"], CultureInfo.InvariantCulture)), r["StoreName"]));
        Assert.All(file.Rows, r => Assert.Matches("[א-ת]", r["City"]));
    }

    [Fact]
    public async Task WriteFileAsync_200kItems_StreamsInSmallWrites()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 200_000, stores: 1, duplicateRate: 0.01));
        var destination = new RecordingStream();

        await world.WriteFileAsync(RamiLevy, PriceFullName(world, RamiLevy, 1), destination, CancellationToken.None);

        // The file leaves in many bounded writes while it is generated, never as one buffered blob.
        Assert.True(destination.Total > 2_000_000, $"only {destination.Total} bytes");
        Assert.True(destination.Writes > 50, $"only {destination.Writes} writes");
        Assert.True(destination.LargestWrite <= 256 * 1024, $"a write of {destination.LargestWrite} bytes");
    }

    [Fact]
    public async Task EncodingOf_DefaultChains_CoverUtf8BomAndWindows1255AsWritten()
    {
        var world = new SimulatedWorld(TestFiles.Options(items: 50, stores: 1));
        var styles = world.Chains.Select(c => world.EncodingOf(c.Chain.Id)).ToList();
        Assert.Contains(XmlEncodingStyle.Utf8BomCrlfNoDeclaration, styles);
        Assert.Contains(styles, s => s is XmlEncodingStyle.Windows1255Declared or XmlEncodingStyle.Windows1255Undeclared);
        Assert.True(styles.Distinct().Count() >= 3, "the default chains should exercise several generators");

        foreach (var chain in world.Chains.Select(c => c.Chain.Id))
        {
            var style = world.EncodingOf(chain);
            var xml = TestFiles.Gunzip(await TestFiles.GenerateAsync(world, chain, PriceFullName(world, chain, 1)));
            var hasBom = xml.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]);
            var body = System.Text.Encoding.ASCII.GetString(xml, hasBom ? 3 : 0, 60);
            switch (style)
            {
                case XmlEncodingStyle.Utf8BomCrlfNoDeclaration:
                    Assert.True(hasBom);
                    Assert.StartsWith("<root>\r\n", body, StringComparison.OrdinalIgnoreCase); // Shufersal writes "root"
                    break;
                case XmlEncodingStyle.Utf8BomDeclarationOneLine:
                    Assert.True(hasBom);
                    Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", body, StringComparison.Ordinal);
                    Assert.DoesNotContain((byte)'\n', xml);
                    break;
                case XmlEncodingStyle.Utf8NoBom:
                    Assert.False(hasBom);
                    Assert.StartsWith("<", body, StringComparison.Ordinal);
                    Assert.DoesNotContain("<?xml", body, StringComparison.Ordinal);
                    break;
                case XmlEncodingStyle.Windows1255Declared:
                case XmlEncodingStyle.Windows1255Undeclared:
                    Assert.False(hasBom);
                    Assert.Equal(style == XmlEncodingStyle.Windows1255Declared, body.StartsWith("<?xml version=\"1.0\" encoding=\"windows-1255\"?>", StringComparison.Ordinal));
                    Assert.Contains(xml, b => b is >= 0xE0 and <= 0xFA); // Hebrew letters in windows-1255
                    Assert.ThrowsAny<System.Text.DecoderFallbackException>(() => new System.Text.UTF8Encoding(false, true).GetString(xml));
                    break;
            }

            if (style != XmlEncodingStyle.Windows1255Declared && style != XmlEncodingStyle.Windows1255Undeclared)
            {
                Assert.Contains("ItemName", new System.Text.UTF8Encoding(false, true).GetString(xml), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Validate_DayNotSet_Throws()
    {
        var options = TestFiles.Options();
        options.Day = default;
        Assert.Contains("Day", Assert.Throws<ArgumentException>(() => new SimulatedWorld(options)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new SimulatedWorld(TestFiles.Options(stores: 1000)));
        Assert.Throws<ArgumentException>(() => new SimulatedWorld(TestFiles.Options(duplicateRate: -0.1)));
    }

    private static Dictionary<(string Chain, int Store, string Product), decimal> Snapshot(SimulatedWorld world) =>
        world.Chains.SelectMany(c => world.StoreIds(c.Chain.Id).SelectMany(s =>
                world.ExpectedPrices(c.Chain.Id, s).Select(p => (Key: (c.Chain.Id, s, p.Key), p.Value))))
            .ToDictionary(p => p.Key, p => p.Value);

    private static bool IsGs1(string code)
    {
        if (code.Length != 13 || !code.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (code[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return (10 - (sum % 10)) % 10 == code[12] - '0';
    }

    /// <summary>Counts what a writer sends and the largest single write, keeping nothing.</summary>
    private sealed class RecordingStream : Stream
    {
        public long Total { get; private set; }

        public int Writes { get; private set; }

        public int LargestWrite { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Total;

        public override long Position
        {
            get => Total;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Record(count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Record(buffer.Length);
            return ValueTask.CompletedTask;
        }

        private void Record(int count)
        {
            Total += count;
            Writes++;
            LargestWrite = Math.Max(LargestWrite, count);
        }
    }
}
