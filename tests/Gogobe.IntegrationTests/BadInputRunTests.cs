using System.Globalization;
using System.IO.Compression;
using System.Text;
using Gogobe.Core.Orchestration;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>
/// Hostile and broken files served through the real portal next to good ones: each bad file ends the way it should
/// (failed with its reason, completed with its rejects counted, or set aside), and every good file still lands exactly.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class BadInputRunTests(PostgresFixture postgres)
{
    private const string Rami = "7290058140886";

    private static readonly Encoding Windows1255 = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1255);
    }

    [Fact]
    public async Task Run_EveryKindOfBadInputBesideGoodFiles_BadOnesEndAsDocumentedGoodOnesLandExactly()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains("RamiLevy", "Shufersal"), stores: 2, items: 150);
        var stamp = $"{demo.World.Day:yyyyMMdd}0300";
        // Each bad file is the only file of its own store, so the planner keeps it.
        var cases = new (int Store, string Expect, byte[] Content)[]
        {
            (101, "failed:gzip", [0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xde, 0xad, 0xbe, 0xef]),
            (102, "failed:XML", Gzip(PriceXml(102, 50)[..^200])),
            (103, "failed:HTML", Encoding.UTF8.GetBytes("<!DOCTYPE html><html><head><title>Link expired</title></head><body>expired</body></html>")),
            (104, "failed:empty", []),
            (105, "failed:DTD", Gzip("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><Root><Items><Item><ItemCode>&lol2;</ItemCode></Item></Items></Root>")),
            (106, "failed:root", Gzip("<?xml version=\"1.0\"?><Catalogue><Thing/></Catalogue>")),
            (107, "failed:zip", Zip(("a.xml", PriceXml(107, 3)), ("b.xml", PriceXml(107, 3)))),
            (108, "completed:rejects", Gzip(PriceXml(108, 20, badRows: 2))),
            (109, "completed:empty", Gzip($"<?xml version=\"1.0\"?><Root><ChainId>{Rami}</ChainId><SubChainId>001</SubChainId><StoreId>109</StoreId><Items Count=\"0\"/></Root>")),
            (110, "failed:rejected", Gzip(PriceXml(110, 10, badRows: 8))),
            (111, "completed:zip", Zip(("PriceFull.xml", PriceXml(111, 12)))),
            (112, "completed:plain", Encoding.UTF8.GetBytes(PriceXml(112, 7))),
            (113, "failed:DTD", Gzip("<?xml version=\"1.0\"?><!DOCTYPE Root [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><Root><Items><Item><ItemCode>&xxe;</ItemCode></Item></Items></Root>")),
            (114, "failed:zip", Zip()),
            (115, "failed:compression ratio", GzipBomb()),
            (116, "failed:longer than the limit", Gzip(PriceXml(116, 2).Replace("מוצר בדיקה 1", new string('א', 2 * 1024 * 1024), StringComparison.Ordinal))),
            (117, "completed:repaired", Gzip(PriceXml(117, 5).Replace("<ItemPrice>11.90</ItemPrice>", "<ItemPrice>11,90</ItemPrice>", StringComparison.Ordinal))),
            (118, "completed:price 1e9 rejected", Gzip(PriceXml(118, 20).Replace("<ItemPrice>12.90</ItemPrice>", "<ItemPrice>1e9</ItemPrice>", StringComparison.Ordinal))),
            (119, "completed:bad date kept", Gzip(PriceXml(119, 4).Replace("2026-11-24 08:00:00", "31/02/2024 25:00", StringComparison.Ordinal))),
            (120, "completed:duplicates", Gzip(PriceXml(120, 10, duplicates: 3))),
            (121, "completed:declared utf-8, bytes windows-1255", Gzip(Windows1255.GetBytes(PriceXml(121, 3)))),
        };
        foreach (var (store, _, content) in cases)
        {
            demo.World.PublishExtraFile(Rami, $"PriceFull{Rami}-{store:000}-{stamp}.gz", content);
        }

        demo.World.PublishExtraFile(Rami, $"NULLPriceFull{Rami}-113-{stamp}.gz", Gzip(PriceXml(113, 5)));
        demo.World.PublishExtraFile(Rami, "PriceList-for-download.gz", Gzip(PriceXml(114, 5)));
        // A drive-relative Windows path: the simulator cannot route "/" in a name, the check is the same.
        demo.World.PublishExtraFile(Rami, $"C:PriceFull{Rami}-122-{stamp}.gz", Gzip(PriceXml(122, 5)));

        var report = await demo.RunAsync();

        var rami = report.Chains.Single(c => c.Chain.Id == Rami);
        foreach (var (store, expect, _) in cases)
        {
            var outcome = rami.Files.Single(f => f.StoreId == store);
            var (status, hint) = (expect.Split(':')[0], expect.Split(':')[1]);
            Assert.True(outcome.Status.ToString().Equals(status, StringComparison.OrdinalIgnoreCase), $"store {store}: expected {expect}, got {outcome.Status}: {outcome.Reason}");
            if (status == "failed")
            {
                Assert.Contains(hint, outcome.Reason, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.Equal(2, rami.Files.Single(f => f.StoreId == 108).RowsRejected);
        Assert.Equal(18, (await demo.PricesAsync(Rami, 108)).Count);
        Assert.Equal(0, rami.Files.Single(f => f.StoreId == 109).RowsRead);
        Assert.Equal(12, (await demo.PricesAsync(Rami, 111)).Count);
        Assert.Equal(7, (await demo.PricesAsync(Rami, 112)).Count);
        Assert.Equal(1, rami.Files.Single(f => f.StoreId == 118).RowsRejected);
        Assert.Equal(19, (await demo.PricesAsync(Rami, 118)).Count);
        Assert.Contains("values repaired", await demo.TextAsync("SELECT note FROM file_processing_log WHERE store_id = 117"), StringComparison.Ordinal);
        Assert.Equal(11.90m, (await demo.PricesAsync(Rami, 117)).Values.Order().ElementAt(1));
        Assert.Contains("bad PriceUpdateDate", await demo.TextAsync("SELECT note FROM file_processing_log WHERE store_id = 119"), StringComparison.Ordinal);
        Assert.Equal(4, (await demo.PricesAsync(Rami, 119)).Count);
        Assert.Equal(3, rami.Files.Single(f => f.StoreId == 120).DuplicatesRemoved);
        Assert.Equal(10, (await demo.PricesAsync(Rami, 120)).Count);
        Assert.Equal(3, (await demo.PricesAsync(Rami, 121)).Count);
        Assert.Equal("מוצר בדיקה 2", await demo.TextAsync("SELECT name FROM products WHERE item_code = '7290000012100002'"));
        Assert.Equal(1, rami.Placeholders);
        Assert.Equal(2, rami.UnrecognisedNames);
        Assert.Equal("unsafe file name refused (path or control characters)",
            await demo.TextAsync("SELECT error FROM file_processing_log WHERE file_name LIKE 'C:%'"));
        Assert.Equal("file name matches neither naming scheme",
            await demo.TextAsync("SELECT error FROM file_processing_log WHERE file_name = 'PriceList-for-download.gz'"));
        Assert.Equal("empty file", await demo.TextAsync("SELECT note FROM file_processing_log WHERE store_id = 109"));

        // Every good file of both chains completed with exact prices.
        foreach (var chain in demo.World.Chains)
        {
            foreach (var store in demo.World.StoreIds(chain.Chain.Id))
            {
                var expected = demo.World.ExpectedPrices(chain.Chain.Id, store);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), (await demo.PricesAsync(chain.Chain.Id, store)).OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }

        Assert.All(report.Chains.SelectMany(c => c.Files).Where(f => f.StoreId < 100), f => Assert.NotEqual(FileStatus.Failed, f.Status));
    }

    private static string PriceXml(int store, int rows, int badRows = 0, int duplicates = 0)
    {
        var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Root><ChainId>{Rami}</ChainId><SubChainId>001</SubChainId><StoreId>{store}</StoreId><Items Count=\"{rows}\">");
        for (var i = 0; i < rows; i++)
        {
            // The first badRows rows have a price no reader may accept.
            var price = i < badRows ? "-1" : $"{10 + i}.90";
            xml.Append(CultureInfo.InvariantCulture, $"<Item><PriceUpdateDate>2026-11-24 08:00:00</PriceUpdateDate><ItemCode>72900000{store:000}{i:00000}</ItemCode><ItemType>1</ItemType>")
               .Append(CultureInfo.InvariantCulture, $"<ItemName>מוצר בדיקה {i}</ItemName><ManufacturerName>יצרן</ManufacturerName><ItemPrice>{price}</ItemPrice><bIsWeighted>0</bIsWeighted></Item>");
        }

        // Repeats of the first rows, as chains publish them: the last occurrence counts.
        for (var i = 0; i < duplicates; i++)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Item><ItemCode>72900000{store:000}{i:00000}</ItemCode><ItemType>1</ItemType><ItemPrice>{10 + i}.90</ItemPrice></Item>");
        }

        return xml.Append("</Items></Root>").ToString();
    }

    /// <summary>A small gzip that inflates to 64 MB of harmless-looking markup (comments) inside an otherwise valid file.</summary>
    private static byte[] GzipBomb()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes($"<?xml version=\"1.0\"?><Root><ChainId>{Rami}</ChainId><StoreId>115</StoreId><Items>"));
            var comments = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("<!-- -->", 128 * 1024)));
            for (var i = 0; i < 64; i++)
            {
                gzip.Write(comments);
            }

            gzip.Write("</Items></Root>"u8);
        }

        return buffer.ToArray();
    }

    private static byte[] Gzip(string text) => Gzip(Encoding.UTF8.GetBytes(text));

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create))
        {
            foreach (var (name, text) in entries)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }

        return buffer.ToArray();
    }
}
