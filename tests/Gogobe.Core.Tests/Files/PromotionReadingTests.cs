using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class PromotionReadingTests
{
    private const string Header = "<ChainId>7290027600007</ChainId><SubChainId>001</SubChainId><StoreId>012</StoreId><BikoretNo>1</BikoretNo>";

    private static List<PromotionRow> Read(string xml, ReadStats stats)
    {
        using var file = TestFiles.Open(TestFiles.Utf8WithBom(xml));
        return [.. PriceFileReader.ReadPromotions(file, stats, CancellationToken.None)];
    }

    [Fact]
    public void ReadPromotions_MissingIdAndNoItems_RejectedAndWarnedByReason()
    {
        var xml = $"<Root>{Header}<Promotions Count=\"3\">" +
            "<Promotion><PromotionDescription>no id</PromotionDescription><PromotionItems><Item><ItemCode>1</ItemCode></Item></PromotionItems></Promotion>" +
            "<Promotion><PromotionID> 77 </PromotionID><PromotionDescription>no items</PromotionDescription></Promotion>" +
            "<Promotion><PromotionId>78</PromotionId><PromotionItems><Item><ItemType>1</ItemType></Item><Item><ItemCode>9</ItemCode><ItemType>x</ItemType></Item><Item><ItemCode>10</ItemCode></Item></PromotionItems></Promotion>" +
            "</Promotions></Root>";
        var stats = new ReadStats();
        var rows = Read(xml, stats);

        Assert.Equal(["77", "78"], rows.Select(r => r.PromotionId));
        Assert.Equal(12, rows[0].StoreId);
        Assert.Equal("001", rows[0].SubChainId);
        Assert.Empty(rows[0].Items);
        Assert.Equal([new PromotionItem("10", 1, false)], rows[1].Items);
        Assert.Equal(1, stats.RejectsByReason["missing PromotionId"]);
        Assert.Equal(1, stats.WarningsByReason["promotion without items"]);
        Assert.Equal(1, stats.WarningsByReason["promotion item without ItemCode"]);
        Assert.Equal(1, stats.WarningsByReason["bad promotion ItemType"]);
        Assert.Equal(2, stats.RowsRead);
        Assert.Equal(PromotionShapes.Standard, stats.Shape);
    }

    [Fact]
    public void ReadPromotions_LaibSales_GroupsOnlyConsecutiveRowsWithOneId()
    {
        static string Sale(string id, string code) =>
            $"<Sale><PriceUpdateDate>2024-01-01</PriceUpdateDate><ItemCode>{code}</ItemCode><ItemType>1</ItemType><PromotionId>{id}</PromotionId><PromotionDescription>מבצע {id}</PromotionDescription><PromotionStartDate>2024-01-01</PromotionStartDate><PromotionEndDate>2024-01-31</PromotionEndDate></Sale>";
        var xml = $"<Promos>{Header}<Sales>{Sale("1", "a")}{Sale("1", "b")}{Sale("2", "c")}{Sale("1", "d")}<Sale><ItemCode>e</ItemCode></Sale></Sales></Promos>";
        var stats = new ReadStats();
        var rows = Read(xml, stats);

        Assert.Equal(["1", "2", "1"], rows.Select(r => r.PromotionId));
        Assert.Equal(["a", "b"], rows[0].Items.Select(i => i.ItemCode));
        Assert.Equal(["c"], rows[1].Items.Select(i => i.ItemCode));
        Assert.Equal(["d"], rows[2].Items.Select(i => i.ItemCode));
        Assert.Equal("מבצע 1", rows[0].Description);
        Assert.Equal(new DateTime(2024, 1, 31), rows[0].EndsAt);
        Assert.Equal(1, stats.RejectsByReason["missing PromotionId"]);
        Assert.Equal(3, stats.RowsRead);
        Assert.Equal(PromotionShapes.Laib, stats.Shape);
    }

    [Theory]
    [InlineData("<PromotionStartDate>2024-05-01</PromotionStartDate><PromotionStartHour>08:30</PromotionStartHour>", "2024-05-01T08:30:00", null)]
    [InlineData("<PromotionStartDate>2024-05-01</PromotionStartDate><PromotionStartHour>2024-05-01 08:30:15</PromotionStartHour>", "2024-05-01T08:30:15", null)]
    [InlineData("<PromotionStartDate>2024-05-01 07:00:00</PromotionStartDate>", "2024-05-01T07:00:00", null)]
    [InlineData("<PromotionStartDate>2024-05-01</PromotionStartDate><PromotionStartHour>25:99</PromotionStartHour>", "2024-05-01T00:00:00", "bad PromotionStartHour")]
    [InlineData("<PromotionStartDate>32/13/2024</PromotionStartDate><PromotionStartHour>08:00</PromotionStartHour>", null, "bad PromotionStartDate")]
    public void ReadPromotions_StartDateAndHour_CombinedOrWarned(string fields, string? expected, string? warning)
    {
        var stats = new ReadStats();
        var rows = Read($"<Root>{Header}<Promotions><Promotion><PromotionId>1</PromotionId>{fields}<PromotionItems><Item><ItemCode>1</ItemCode></Item></PromotionItems></Promotion></Promotions></Root>", stats);

        var row = Assert.Single(rows);
        Assert.Equal(expected is null ? null : DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), row.StartsAt);
        if (warning is null)
        {
            Assert.Empty(stats.WarningsByReason);
        }
        else
        {
            Assert.Equal(1, stats.WarningsByReason[warning]);
        }
    }

    [Fact]
    public void ReadPromotions_SuperPharmLineWithNestedItems_ReadsIdsFromEnvelope()
    {
        var xml = "<OrderXml><Envelope><ChainId>7290172900007</ChainId><SubChainId>1</SubChainId><StoreId>196</StoreId><Header/><Details>" +
            "<Line><PromotionId>SP1</PromotionId><DiscountedPrice>9.90</DiscountedPrice><PromotionItems><Item><ItemCode>1</ItemCode><IsGiftItem>0</IsGiftItem></Item><Item><ItemCode>2</ItemCode><IsGiftItem>1</IsGiftItem></Item></PromotionItems></Line>" +
            "</Details></Envelope></OrderXml>";
        var stats = new ReadStats();
        var row = Assert.Single(Read(xml, stats));

        Assert.Equal("7290172900007", row.ChainId);
        Assert.Equal(196, row.StoreId);
        Assert.Equal(9.90m, row.DiscountedPrice);
        Assert.Equal([new PromotionItem("1", 1, false), new PromotionItem("2", 1, true)], row.Items);
        Assert.Equal(PromotionShapes.SuperPharm, stats.Shape);
    }

    [Fact]
    public void ReadPromotions_Windows1255Hebrew_Decoded()
    {
        var xml = $"<?xml version=\"1.0\" encoding=\"windows-1255\"?><Root>{Header}<Promotions><Promotion><PromotionId>5</PromotionId><PromotionDescription>{TestFiles.HebrewName}</PromotionDescription><PromotionItems><Item><ItemCode>1</ItemCode></Item></PromotionItems></Promotion></Promotions></Root>";
        using var file = TestFiles.Open(TestFiles.Windows1255.GetBytes(xml));
        var row = Assert.Single(PriceFileReader.ReadPromotions(file, new ReadStats(), CancellationToken.None));
        Assert.Equal(TestFiles.HebrewName, row.Description);
    }

    [Fact]
    public void ReadPromotions_TruncatedXml_ThrowsMalformed()
    {
        var xml = $"<Root>{Header}<Promotions><Promotion><PromotionId>5</PromotionId><PromotionItems><Item><ItemCode>1";
        var ex = Assert.Throws<InvalidDataException>(() => Read(xml, new ReadStats()));
        Assert.StartsWith("truncated or malformed XML", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPromotions_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        using var file = TestFiles.Open(Encoding.UTF8.GetBytes($"<Root>{Header}<Promotions/></Root>"));
        Assert.Throws<OperationCanceledException>(() => PriceFileReader.ReadPromotions(file, new ReadStats(), cts.Token).ToList());
    }
}
