using System.Globalization;
using System.IO.Compression;
using System.Text;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Simulator.Tests;

/// <summary>
/// The fast price parser against the XmlReader parser it must agree with: every price file the simulator writes (all
/// shapes, encodings, containers, flaws, duplicates), then the same files mutated (cut short, bytes flipped, comments,
/// CDATA, entities, DOCTYPE, attributes, prefixes, stray elements, huge values inserted). Both must give the same rows
/// and the same stats, or both throw <see cref="InvalidDataException"/>.
/// </summary>
public sealed class FastParserDifferentialTests
{
    private static readonly ReaderLimits SmallValues = new(MaxValueChars: 4096);

    private static readonly string[] Insertions =
    [
        "<!-- a comment -->",
        "<![CDATA[ 12.90 ]]>",
        "<![CDATA[<ItemPrice>1</ItemPrice>]]>",
        "&amp;",
        "&lt;&gt;&quot;&apos;",
        "&#1488;&#x5D1;",
        "&#13;",
        "&#x1F600;",
        "&unknown;",
        "&",
        "<!DOCTYPE Root [<!ENTITY x \"y\">]>",
        "<?pi data?>",
        "<Extra a=\"1\"/>",
        "<ItemName>second name</ItemName>",
        "<ItemPrice> 7,50 </ItemPrice>",
        "<ItemCode/>",
        "<ItemCode></ItemCode>",
        "<ItemType>x</ItemType>",
        "<PriceUpdateDate>yesterday</PriceUpdateDate>",
        "<x:ItemPrice xmlns:x=\"urn:x\">3</x:ItemPrice>",
        "<y:Item>1</y:Item>",
        "<Item/>",
        "<Item />",
        "<Item a=\"1\"><ItemCode>1</ItemCode><ItemPrice>1</ItemPrice></Item>",
        "<Item><ItemCode> 77 </ItemCode><ItemPrice>1e3</ItemPrice></Item>",
        "<Item><ItemCode>5</ItemCode><ItemPrice>-1</ItemPrice><StoreId>x</StoreId></Item>",
        "<StoreId> 9 </StoreId>",
        "<ChainId/>",
        "</Items>",
        "</Item>",
        "<Items>",
        " \r\n\t ",
        "\r",
        "\u0001",
        "]]>",
        "<Wrapper><Inner>1</Inner></Wrapper>",
        "<ItemName>a<b>c</b>d</ItemName>",
        "<ItemName >spaced</ItemName >",
        "<Item\n>",
        "\u00A0",
    ];

    [Fact]
    public async Task EveryGeneratedFile_FastEqualsXmlReader()
    {
        var compared = 0;
        long scanned = 0;
        long rows = 0;
        var failures = new List<string>();
        foreach (var (world, chainId, name) in PriceFiles())
        {
            var bytes = await TestFiles.GenerateAsync(world, chainId, name);
            failures.AddRange(Compare(name, bytes, ReaderLimits.Default, out var fast));
            compared++;
            scanned += fast.Scanned;
            rows += fast.Rows;
        }

        Assert.True(compared > 40, $"only {compared} files");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));
        // The comparison is only worth something if the scanner read the rows itself (every shape is one it takes).
        Assert.True(rows > 2000 && scanned > rows * 0.99, $"scanner read {scanned} of {rows} rows");
    }

    [Fact]
    public async Task MutatedFiles_FastEqualsXmlReaderOrBothFail()
    {
        // A longer hunt by hand: GOGOBE_DIFF_MUTATIONS=2000 GOGOBE_DIFF_SEED=n.
        var perFile = int.TryParse(Environment.GetEnvironmentVariable("GOGOBE_DIFF_MUTATIONS"), out var n) ? n : 60;
        var random = new Random(int.TryParse(Environment.GetEnvironmentVariable("GOGOBE_DIFF_SEED"), out var seed) ? seed : 7);
        var compared = 0;
        var bothFailed = 0;
        var failures = new List<string>();
        foreach (var (world, chainId, name) in PriceFiles().Where((_, i) => i % 3 == 0))
        {
            var (text, encoding, bom) = Text(await TestFiles.GenerateAsync(world, chainId, name));
            var marks = Enumerable.Range(0, text.Length).Where(i => text[i] == '<').ToArray();
            for (var m = 0; m < perFile; m++)
            {
                string mutated;
                var kind = m % 6;
                var at = marks[random.Next(marks.Length)];
                switch (kind)
                {
                    case 0:
                        mutated = text[..random.Next(text.Length)];
                        break;
                    case 1:
                        var chars = text.ToCharArray();
                        const string flips = "<>/&;=\" x\r\u0000";
                        chars[random.Next(chars.Length)] = flips[random.Next(flips.Length)];
                        mutated = new string(chars);
                        break;
                    case 2:
                        // Inside a value, in the middle of the text between two tags.
                        var gt = text.IndexOf('>', at);
                        mutated = gt < 0 ? text : text.Insert(gt + 1, Insertions[random.Next(Insertions.Length)]);
                        break;
                    case 3:
                        var huge = "<ItemName>" + new string('x', 5000) + "</ItemName>";
                        mutated = text.Insert(at, random.Next(2) == 0 ? huge : Insertions[random.Next(Insertions.Length)]);
                        break;
                    default:
                        mutated = text.Insert(at, Insertions[random.Next(Insertions.Length)]);
                        break;
                }

                var bytes = bom.Concat(encoding.GetBytes(mutated)).ToArray();
                var differences = Compare($"{name} mutation {m}", bytes, SmallValues, out var fast);
                failures.AddRange(differences);
                compared++;
                bothFailed += fast.Failed ? 1 : 0;
            }
        }

        Assert.True(compared > 500, $"only {compared} mutations");
        Assert.True(bothFailed > 50 && bothFailed < compared - 100, $"{bothFailed} of {compared} failed: mutations too mild or too harsh");
        Assert.True(failures.Count == 0, $"{failures.Count} differences:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(20))}");
    }

    [Fact]
    public void FallBackMidFile_KeepsLineNumbersOfErrors()
    {
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Root>\n<ChainId>1</ChainId><StoreId>2</StoreId>\n<Items>\n");
        for (var i = 0; i < 10; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Item>\n<ItemCode>{i + 1}</ItemCode>\n<ItemPrice>1.00</ItemPrice>\n</Item>\n");
        }

        xml.Append("<Item>\n<!-- c -->\n<ItemCode>99</ItemCode>\n</Itm>\n</Items></Root>");
        var bytes = Encoding.UTF8.GetBytes(xml.ToString());

        var slow = Assert.Throws<InvalidDataException>(() => Read(bytes, PriceParser.XmlReader, ReaderLimits.Default));
        var fast = Assert.Throws<InvalidDataException>(() => Read(bytes, PriceParser.Fast, ReaderLimits.Default));

        Assert.StartsWith("truncated or malformed XML at line 48,", slow.Message, StringComparison.Ordinal);
        Assert.StartsWith("truncated or malformed XML at line 48,", fast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderRepairs_AfterFallBack_CountedOnce()
    {
        const string xml = "<Root><ChainId> 1 </ChainId><StoreId> 2 </StoreId><Items>" +
            "<Item><ItemCode>1</ItemCode><ItemPrice>1</ItemPrice></Item>" +
            "<Item><!-- odd --><ItemCode> 2</ItemCode><ItemPrice>2</ItemPrice></Item></Items></Root>";
        var bytes = Encoding.UTF8.GetBytes(xml);
        var slowStats = new ReadStats();
        var fastStats = new ReadStats();
        using (var file = PriceFileReader.Open(new MemoryStream(bytes)))
        {
            Assert.Equal(2, PriceFileReader.ReadPrices(file, slowStats, PriceParser.XmlReader, CancellationToken.None).Count());
        }

        using (var file = PriceFileReader.Open(new MemoryStream(bytes)))
        using (var parser = new FastPriceParser(file, fastStats))
        {
            Assert.NotNull(parser.Next());
            Assert.NotNull(parser.Next());
            Assert.Null(parser.Next());
            Assert.Equal(1, parser.ScannedRows);
            Assert.True(parser.FellBack);
        }

        Assert.Equal(3, slowStats.Repairs);
        Assert.Equal(3, fastStats.Repairs);
    }

    private static IEnumerable<(SimulatedWorld World, string ChainId, string Name)> PriceFiles()
    {
        foreach (var shape in Enum.GetValues<XmlShape>())
        {
            var options = TestFiles.AllKinds(items: 60, stores: 2, duplicateRate: 0.1);
            options.Kinds.Clear();
            options.Kinds.Add(FileKind.Stores);
            options.Kinds.Add(FileKind.PriceFull);
            options.Kinds.Add(FileKind.Price);
            var chains = new List<SimulatedChain>();
            var n = 0;
            foreach (var encoding in Enum.GetValues<XmlEncodingStyle>())
            {
                var container = Enum.GetValues<FileContainer>()[n % Enum.GetValues<FileContainer>().Length];
                var id = "72998" + ((int)shape).ToString("00", CultureInfo.InvariantCulture) + n.ToString("000000", CultureInfo.InvariantCulture);
                options.Profiles[id] = new ChainProfile { Shape = shape, Encoding = encoding, Container = container, Flaws = n % 3 != 2 };
                chains.Add(new SimulatedChain(
                    new Chain("רשת " + n, id),
                    new PortalInfo(PortalFamilies.Cerberus, new Uri("https://url.publishedprices.co.il/"),
                        new Dictionary<string, string>(StringComparer.Ordinal) { ["user"] = "u" + id })));
                n++;
            }

            options.Chains = chains;
            var world = new SimulatedWorld(options);
            world.AdvanceDay(0.2);
            foreach (var chain in chains)
            {
                foreach (var name in world.FileNames(chain.Chain.Id)
                    .Where(f => !f.StartsWith("NULL", StringComparison.Ordinal) && PriceFileReader.KindOf(f) is FileKind.PriceFull or FileKind.Price))
                {
                    yield return (world, chain.Chain.Id, name);
                }
            }
        }
    }

    /// <summary>The XML of a generated file as text, with the encoding and BOM to write it back the same way.</summary>
    private static (string Text, Encoding Encoding, byte[] Bom) Text(byte[] raw)
    {
        Encoding encoding;
        using (var file = PriceFileReader.Open(new MemoryStream(raw)))
        {
            encoding = file.Encoding;
        }

        var body = raw[0] == 0x1f ? TestFiles.Gunzip(raw) : raw[0] == (byte)'P' ? TestFiles.Unzip(raw) : raw;
        byte[] bom = body.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? [.. Encoding.UTF8.Preamble]
            : body.AsSpan().StartsWith(Encoding.Unicode.Preamble) ? [.. Encoding.Unicode.Preamble] : [];
        var writable = Encoding.GetEncoding(encoding.CodePage);
        return (writable.GetString(body.AsSpan(bom.Length)), writable, bom);
    }

    private sealed record FastOutcome(bool Failed, long Rows, long Scanned);

    /// <summary>Differences between the two parsers on one file (none when equal, or both threw InvalidDataException).</summary>
    private static List<string> Compare(string name, byte[] bytes, ReaderLimits limits, out FastOutcome fast)
    {
        var (slowRows, slowStats, slowError) = Outcome(() => Read(bytes, PriceParser.XmlReader, limits));
        var scanned = 0L;
        var (fastRows, fastStats, fastError) = Outcome(() =>
        {
            using var file = PriceFileReader.Open(new MemoryStream(bytes), limits);
            var stats = new ReadStats();
            using var parser = new FastPriceParser(file, stats);
            var rows = new List<string>();
            try
            {
                while (parser.Next() is { } row)
                {
                    rows.Add(Describe(row));
                }
            }
            finally
            {
                scanned = parser.ScannedRows;
            }

            return (rows, stats);
        });
        fast = new FastOutcome(fastError is not null, fastRows?.Count ?? 0, scanned);
        if (slowError is not null || fastError is not null)
        {
            return slowError is InvalidDataException && fastError is InvalidDataException
                ? []
                : [$"{name}: XmlReader {slowError?.GetType().Name ?? "read"} {slowError?.Message}, fast {fastError?.GetType().Name ?? "read"} {fastError?.Message}"];
        }

        var differences = new List<string>();
        if (!slowRows!.SequenceEqual(fastRows!))
        {
            var at = slowRows!.Zip(fastRows!).TakeWhile(p => p.First == p.Second).Count();
            differences.Add($"{name}: rows differ at {at} ({slowRows!.Count} vs {fastRows!.Count}): {slowRows.ElementAtOrDefault(at)} / {fastRows!.ElementAtOrDefault(at)}");
        }

        if (Describe(slowStats!) != Describe(fastStats!))
        {
            differences.Add($"{name}: stats {Describe(slowStats!)} / {Describe(fastStats!)}");
        }

        return differences;
    }

    private static (List<string>, ReadStats) Read(byte[] bytes, PriceParser parser, ReaderLimits limits)
    {
        using var file = PriceFileReader.Open(new MemoryStream(bytes), limits);
        var stats = new ReadStats();
        return ([.. PriceFileReader.ReadPrices(file, stats, parser, CancellationToken.None).Select(Describe)], stats);
    }

    private static (List<string>? Rows, ReadStats? Stats, Exception? Error) Outcome(Func<(List<string>, ReadStats)> read)
    {
        try
        {
            var (rows, stats) = read();
            return (rows, stats, null);
        }
#pragma warning disable CA1031 // any exception is an outcome to compare
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, null, ex);
        }
    }

    private static string Describe(PriceRow r) => string.Join(
        '|', r.ChainId, r.SubChainId, r.StoreId, r.ItemCode, r.ItemType, r.ItemName, r.ManufacturerName, r.ManufactureCountry,
        r.ManufacturerItemDescription, r.UnitQty, r.Quantity, r.UnitOfMeasure, r.IsWeighted, r.QtyInPackage,
        r.ItemPrice.ToString(CultureInfo.InvariantCulture), r.UnitOfMeasurePrice, r.AllowDiscount, r.ItemStatus,
        r.PriceUpdateDate?.ToString("O", CultureInfo.InvariantCulture), r.ProductKey);

    private static string Describe(ReadStats s) =>
        $"{s.Shape}; read {s.RowsRead}; rejected {s.RowsRejected}; repairs {s.Repairs}; " +
        string.Join(",", s.RejectsByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + "; " +
        string.Join(",", s.WarningsByReason.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
