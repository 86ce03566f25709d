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
        };
        foreach (var (store, _, content) in cases)
        {
            demo.World.PublishExtraFile(Rami, $"PriceFull{Rami}-{store:000}-{stamp}.gz", content);
        }

        demo.World.PublishExtraFile(Rami, $"NULLPriceFull{Rami}-113-{stamp}.gz", Gzip(PriceXml(113, 5)));
        demo.World.PublishExtraFile(Rami, "PriceList-for-download.gz", Gzip(PriceXml(114, 5)));

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
        Assert.Equal(1, rami.Placeholders);
        Assert.Equal(1, rami.UnrecognisedNames);
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

    private static string PriceXml(int store, int rows, int badRows = 0)
    {
        var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Root><ChainId>{Rami}</ChainId><SubChainId>001</SubChainId><StoreId>{store}</StoreId><Items Count=\"{rows}\">");
        for (var i = 0; i < rows; i++)
        {
            // The first badRows rows have a price no reader may accept.
            var price = i < badRows ? "-1" : $"{10 + i}.90";
            xml.Append(CultureInfo.InvariantCulture, $"<Item><PriceUpdateDate>2026-11-24 08:00:00</PriceUpdateDate><ItemCode>72900000{store:000}{i:00000}</ItemCode><ItemType>1</ItemType>")
               .Append(CultureInfo.InvariantCulture, $"<ItemName>מוצר בדיקה {i}</ItemName><ManufacturerName>יצרן</ManufacturerName><ItemPrice>{price}</ItemPrice><bIsWeighted>0</bIsWeighted></Item>");
        }

        return xml.Append("</Items></Root>").ToString();
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
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
