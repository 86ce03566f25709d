using System.Globalization;
using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class PriceReadingTests
{
    private static byte[] Bytes(string xml) => TestFiles.Utf8WithBom(xml);

    [Fact]
    public void ReadPrices_FullItem_RoundTripsEveryField()
    {
        const string item = """
            <Item>
              <PriceUpdateDate>2024-05-16 22:25:16</PriceUpdateDate>
              <ItemCode>7290000000015</ItemCode>
              <ItemType>1</ItemType>
              <ItemName>במבה 80 גרם</ItemName>
              <ManufacturerName>אסם</ManufacturerName>
              <ManufactureCountry>ישראל</ManufactureCountry>
              <ManufacturerItemDescription>חטיף בוטנים</ManufacturerItemDescription>
              <UnitQty>גרם</UnitQty>
              <Quantity>80.00</Quantity>
              <UnitOfMeasure>100 גרם</UnitOfMeasure>
              <bIsWeighted>0</bIsWeighted>
              <QtyInPackage>לא ידוע</QtyInPackage>
              <ItemPrice>5.90</ItemPrice>
              <UnitOfMeasurePrice>7.38</UnitOfMeasurePrice>
              <AllowDiscount>1</AllowDiscount>
              <ItemStatus>1</ItemStatus>
              <ItemId>12345</ItemId>
            </Item>
            """;
        var stats = new ReadStats();
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(item, storeId: "012")), stats));

        Assert.Equal(TestFiles.ChainId, row.ChainId);
        Assert.Equal("001", row.SubChainId);
        Assert.Equal(12, row.StoreId);
        Assert.Equal("7290000000015", row.ItemCode);
        Assert.Equal(1, row.ItemType);
        Assert.Equal("במבה 80 גרם", row.ItemName);
        Assert.Equal("אסם", row.ManufacturerName);
        Assert.Equal("ישראל", row.ManufactureCountry);
        Assert.Equal("חטיף בוטנים", row.ManufacturerItemDescription);
        Assert.Equal("גרם", row.UnitQty);
        Assert.Equal(80.00m, row.Quantity);
        Assert.Equal("100 גרם", row.UnitOfMeasure);
        Assert.False(row.IsWeighted);
        Assert.Equal("לא ידוע", row.QtyInPackage);
        Assert.Equal(5.90m, row.ItemPrice);
        Assert.Equal(7.38m, row.UnitOfMeasurePrice);
        Assert.True(row.AllowDiscount);
        Assert.Equal(1, row.ItemStatus);
        Assert.Equal(new DateTime(2024, 5, 16, 22, 25, 16, DateTimeKind.Unspecified), row.PriceUpdateDate);
        Assert.Equal("b:7290000000015", row.ProductKey);
        Assert.Equal(1, stats.RowsRead);
        Assert.Equal(0, stats.RowsRejected);
        Assert.Empty(stats.WarningsByReason);
    }

    [Fact]
    public void ReadPrices_AliasesAndCaseVariants_MapToStandardFields()
    {
        const string xml = """
            <root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <CHAINID>7290027600007</CHAINID><SubChainID>2</SubChainID><StoreID>9032</StoreID>
              <items count="2">
                <item><itemcode>123</itemcode><ItemType>0</ItemType><ItemNm>עגבניה</ItemNm><ManufactureName>מגדל</ManufactureName>
                  <ManufactureItemDescription>ירק</ManufactureItemDescription><blsWeighted>1</blsWeighted><ITEMPRICE>7.9</ITEMPRICE></item>
                <Item><ItemCode>456</ItemCode><BisWeighted>true</BisWeighted><ItemPrice>1</ItemPrice></Item>
              </items>
            </root>
            """;
        var rows = TestFiles.ReadPrices(Bytes(xml));

        Assert.Equal(2, rows.Count);
        Assert.Equal("7290027600007", rows[0].ChainId);
        Assert.Equal("2", rows[0].SubChainId);
        Assert.Equal(9032, rows[0].StoreId);
        Assert.Equal("עגבניה", rows[0].ItemName);
        Assert.Equal("מגדל", rows[0].ManufacturerName);
        Assert.Equal("ירק", rows[0].ManufacturerItemDescription);
        Assert.True(rows[0].IsWeighted);
        Assert.Equal(0, rows[0].ItemType);
        Assert.Equal("c:7290027600007:123", rows[0].ProductKey);
        Assert.True(rows[1].IsWeighted);
        Assert.Equal(1m, rows[1].ItemPrice);
    }

    [Fact]
    public void ReadPrices_NamespacedElements_MatchedOnLocalName()
    {
        const string xml = """
            <p:Root xmlns:p="urn:prices"><p:ChainId>7290027600007</p:ChainId><p:StoreId>3</p:StoreId>
            <p:Items><p:Item><p:ItemCode>1</p:ItemCode><p:ItemPrice>2.50</p:ItemPrice></p:Item></p:Items></p:Root>
            """;
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(xml)));
        Assert.Equal(3, row.StoreId);
        Assert.Equal(2.50m, row.ItemPrice);
    }

    [Fact]
    public void ReadPrices_DataSetShape_ReadsHeaderFromEachRow()
    {
        const string xml = """
            <?xml version="1.0" standalone="yes"?>
            <NewDataSet>
              <xs:schema id="NewDataSet" xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="item"/></xs:schema>
              <item><ChainId>7290873255550</ChainId><SubChainId>1</SubChainId><StoreId>2</StoreId><ItemCode>111</ItemCode><ItemPrice>3.30</ItemPrice></item>
              <item><ChainId>7290873255550</ChainId><SubChainId>1</SubChainId><StoreId>2</StoreId><ItemCode>222</ItemCode><ItemPrice>4.40</ItemPrice></item>
            </NewDataSet>
            """;
        var rows = TestFiles.ReadPrices(Bytes(xml));
        Assert.Equal(["111", "222"], rows.Select(r => r.ItemCode));
        Assert.All(rows, r => Assert.Equal("7290873255550", r.ChainId));
        Assert.All(rows, r => Assert.Equal(2, r.StoreId));
    }

    [Fact]
    public void ReadPrices_EmptyItems_ReturnsNoRows()
    {
        var xml = $"<Root><ChainId>{TestFiles.ChainId}</ChainId><StoreId>1</StoreId><Items Count=\"0\"/></Root>";
        var stats = new ReadStats();
        Assert.Empty(TestFiles.ReadPrices(Bytes(xml), stats));
        Assert.Equal(0, stats.RowsRead);
    }

    [Fact]
    public void ReadPrices_BadRows_RejectedAndCountedByReason()
    {
        var items =
            TestFiles.Item(itemCode: "1", price: "5.90") +
            TestFiles.Item(itemCode: "  ", price: "5.90") +
            "<Item><ItemPrice>1</ItemPrice></Item>" +
            TestFiles.Item(itemCode: "2", price: "abc") +
            TestFiles.Item(itemCode: "3", price: "-1") +
            TestFiles.Item(itemCode: "4", price: "100000.01") +
            "<Item><ItemCode>5</ItemCode></Item>" +
            TestFiles.Item(itemCode: "6", price: "100000") +
            TestFiles.Item(itemCode: "7", price: "0");
        var stats = new ReadStats();
        var rows = TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(items)), stats);

        Assert.Equal(["1", "6", "7"], rows.Select(r => r.ItemCode));
        Assert.Equal(3, stats.RowsRead);
        Assert.Equal(6, stats.RowsRejected);
        Assert.Equal(2, stats.RejectsByReason["missing ItemCode"]);
        Assert.Equal(1, stats.RejectsByReason["bad price"]);
        Assert.Equal(2, stats.RejectsByReason["price out of range"]); // -1 and 100000.01
        Assert.Equal(1, stats.RejectsByReason["missing ItemPrice"]);
    }

    [Fact]
    public void ReadPrices_NoStoreIdAnywhere_RejectsRows()
    {
        var xml = $"<Root><ChainId>{TestFiles.ChainId}</ChainId><Items>{TestFiles.Item()}</Items></Root>";
        var stats = new ReadStats();
        Assert.Empty(TestFiles.ReadPrices(Bytes(xml), stats));
        Assert.Equal(1, stats.RejectsByReason["missing StoreId"]);
    }

    [Fact]
    public void ReadPrices_PaddedValues_TrimmedAndCountedAsRepairs()
    {
        var item = "<Item><ItemCode> 7290000000015 </ItemCode><ItemName>Milk   </ItemName><ItemPrice>5.90</ItemPrice></Item>";
        var stats = new ReadStats();
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(item)), stats));
        Assert.Equal("7290000000015", row.ItemCode);
        Assert.Equal("Milk", row.ItemName);
        Assert.Equal(2, stats.Repairs);
    }

    [Fact]
    public void ReadPrices_BareAmpersand_EscapedAndCounted()
    {
        var item = "<Item><ItemCode>1</ItemCode><ItemName>P&G &amp; Co &#1488; &#x5D0; & more</ItemName><ManufacturerName>A&B</ManufacturerName><ItemPrice>1</ItemPrice></Item>";
        var stats = new ReadStats();
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(item)), stats));
        Assert.Equal("P&G & Co א א & more", row.ItemName);
        Assert.Equal("A&B", row.ManufacturerName);
        Assert.Equal(3, stats.Repairs);
    }

    [Theory]
    [InlineData("2024-05-16 22:25:16", "2024-05-16T22:25:16")]
    [InlineData("2024-05-16T22:25:16", "2024-05-16T22:25:16")]
    [InlineData("2024-05-16 22:25", "2024-05-16T22:25:00")]
    [InlineData("2024-03-03", "2024-03-03T00:00:00")]
    [InlineData("2024-05-16 22:25:16.123", "2024-05-16T22:25:16.123")]
    [InlineData("2024/05/16 22:25:16", "2024-05-16T22:25:16")]
    [InlineData("16/05/2024 22:25", "2024-05-16T22:25:00")]
    public void ReadPrices_PriceUpdateDateForms_Parsed(string written, string expected)
    {
        var item = $"<Item><PriceUpdateDate>{written}</PriceUpdateDate><ItemCode>1</ItemCode><ItemPrice>1</ItemPrice></Item>";
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(item))));
        Assert.Equal(DateTime.Parse(expected, CultureInfo.InvariantCulture), row.PriceUpdateDate);
        Assert.Equal(DateTimeKind.Unspecified, row.PriceUpdateDate!.Value.Kind);
    }

    [Fact]
    public void ReadPrices_UnreadableOptionalValues_RowKeptWithWarnings()
    {
        var item = "<Item><PriceUpdateDate>yesterday</PriceUpdateDate><ItemCode>1</ItemCode><Quantity>a lot</Quantity><ItemPrice>5,90</ItemPrice></Item>";
        var stats = new ReadStats();
        var row = Assert.Single(TestFiles.ReadPrices(Bytes(TestFiles.PriceXml(item)), stats));
        Assert.Null(row.PriceUpdateDate);
        Assert.Null(row.Quantity);
        Assert.Equal(5.90m, row.ItemPrice);
        Assert.Equal(1, stats.WarningsByReason["bad PriceUpdateDate"]);
        Assert.Equal(1, stats.WarningsByReason["bad Quantity"]);
        Assert.Equal(1, stats.Repairs);
    }

    [Fact]
    public void ReadPrices_TruncatedXml_ThrowsWithLine()
    {
        var xml = TestFiles.PriceXml(TestFiles.Item(itemCode: "1") + TestFiles.Item(itemCode: "2") + TestFiles.Item(itemCode: "3"));
        var cut = xml[..xml.IndexOf("<ItemCode>3", StringComparison.Ordinal)];
        var rows = new List<PriceRow>();
        var stats = new ReadStats();
        using var file = TestFiles.Open(Bytes(cut));

        var ex = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var row in PriceFileReader.ReadPrices(file, stats, CancellationToken.None))
            {
                rows.Add(row);
            }
        });

        Assert.Matches(@"^truncated or malformed XML at line \d+", ex.Message);
        Assert.Equal(2, rows.Count); // rows before the damage were streamed out
    }

    [Fact]
    public void ReadPrices_UnknownRoot_ThrowsNamingIt()
    {
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(Bytes("<Catalog><Envelope/></Catalog>")));
        Assert.Contains("/Catalog", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrices_PromoFileUnderRoot_ThrowsNamingTheList()
    {
        var xml = $"<Root><ChainId>{TestFiles.ChainId}</ChainId><StoreId>1</StoreId><Promotions Count=\"1\"><Promotion><PromotionId>1</PromotionId></Promotion></Promotions></Root>";
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(Bytes(xml)));
        Assert.Contains("/Root/Promotions", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrices_BillionLaughs_Refused()
    {
        const string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE Root [
              <!ENTITY lol "lol">
              <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
              <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
              <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            ]>
            <Root><ChainId>7290027600007</ChainId><StoreId>1</StoreId><Items><Item><ItemCode>1</ItemCode><ItemName>&lol3;</ItemName><ItemPrice>1</ItemPrice></Item></Items></Root>
            """;
        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(Encoding.UTF8.GetBytes(xml)));
        Assert.Contains("DTD", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadPrices_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        using var file = TestFiles.Open(Bytes(TestFiles.PriceXml(TestFiles.Item(itemCode: "1") + TestFiles.Item(itemCode: "2"))));
        using var rows = PriceFileReader.ReadPrices(file, new ReadStats(), cts.Token).GetEnumerator();
        Assert.True(rows.MoveNext());
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => rows.MoveNext());
    }
}
