using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class StoreReadingTests
{
    [Fact]
    public void ReadStores_StandardNesting_ReadsEveryStoreWithChainAndSubChain()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?><Root><ChainId>7290027600007</ChainId><ChainName>שופרסל</ChainName><LastUpdateDate>2024-10-07</LastUpdateDate><SubChains><SubChain><SubChainId>1</SubChainId><SubChainName>שופרסל שלי</SubChainName><Stores><Store><StoreId>001</StoreId><BikoretNo>7</BikoretNo><StoreType>1</StoreType><StoreName>ת"א - אבן גבירול</StoreName><Address>אבן גבירול 101</Address><City>תל אביב</City><ZipCode>6203854</ZipCode></Store><Store><StoreId>13</StoreId><StoreType>2</StoreType><StoreName>אונליין</StoreName><Address>unknown</Address><City></City><ZipCode/></Store></Stores></SubChain><SubChain><SubChainId>2</SubChainId><SubChainName>דיל</SubChainName><Stores><Store><StoreId>0402</StoreId><StoreName>דיל חיפה</StoreName></Store></Stores></SubChain></SubChains></Root>
            """;
        var stats = new ReadStats();
        var stores = TestFiles.ReadStores(TestFiles.Utf8WithBom(xml), stats);

        Assert.Equal([1, 13, 402], stores.Select(s => s.StoreId));
        Assert.All(stores, s => Assert.Equal("7290027600007", s.ChainId));
        Assert.All(stores, s => Assert.Equal("שופרסל", s.ChainName));
        var first = stores[0];
        Assert.Equal("1", first.SubChainId);
        Assert.Equal("שופרסל שלי", first.SubChainName);
        Assert.Equal("7", first.BikoretNo);
        Assert.Equal(1, first.StoreType);
        Assert.Equal("ת\"א - אבן גבירול", first.StoreName);
        Assert.Equal("אבן גבירול 101", first.Address);
        Assert.Equal("תל אביב", first.City);
        Assert.Equal("6203854", first.ZipCode);
        Assert.Null(stores[1].City);
        Assert.Null(stores[1].ZipCode);
        Assert.Null(stores[1].BikoretNo); // not inherited from the sibling store
        Assert.Equal("2", stores[2].SubChainId);
        Assert.Equal("דיל", stores[2].SubChainName);
        Assert.Equal(3, stats.RowsRead);
    }

    [Fact]
    public void ReadStores_SapAllCaps_ReadsStores()
    {
        const string xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <asx:abap xmlns:asx="http://www.sap.com/abapxml" version="1.0">
              <asx:values>
                <CHAINID>7290027600007</CHAINID>
                <LASTUPDATEDATE>20241007</LASTUPDATEDATE>
                <STORES>
                  <STORE><SUBCHAINID>1</SUBCHAINID><STOREID>1</STOREID><BIKORETNO>7</BIKORETNO><STORETYPE>1</STORETYPE><CHAINNAME>שופרסל</CHAINNAME><SUBCHAINNAME>שופרסל שלי</SUBCHAINNAME><STORENAME>שלי ת"א</STORENAME><ADDRESS>רחוב 1</ADDRESS><CITY>תל אביב</CITY><ZIPCODE>1234567</ZIPCODE></STORE>
                  <STORE><SUBCHAINID>2</SUBCHAINID><STOREID>392</STOREID><STORENAME>דיל</STORENAME><ADDRESS> </ADDRESS><CITY>3000</CITY><ZIPCODE>0000000</ZIPCODE></STORE>
                </STORES>
              </asx:values>
            </asx:abap>
            """;
        var stores = TestFiles.ReadStores(TestFiles.Utf8WithBom(xml));

        Assert.Equal([1, 392], stores.Select(s => s.StoreId));
        Assert.All(stores, s => Assert.Equal("7290027600007", s.ChainId));
        Assert.Equal("1", stores[0].SubChainId);
        Assert.Equal("שופרסל", stores[0].ChainName);
        Assert.Equal("שלי ת\"א", stores[0].StoreName);
        Assert.Equal("תל אביב", stores[0].City);
        Assert.Equal("2", stores[1].SubChainId);
        Assert.Null(stores[1].Address);
        Assert.Equal("3000", stores[1].City);
    }

    [Fact]
    public void ReadStores_BranchesAndWrappedShapes_ReadStores()
    {
        const string branches = """
            <Store Date="07/10/2024"><Branches><Branch><ChainID>7290696200003</ChainID><SubChainID>1</SubChainID><StoreID>97</StoreID><StoreName>ויקטורי</StoreName><ZIPCode>1</ZIPCode></Branch></Branches></Store>
            """;
        const string wrapped = """
            <Root><ChainId>7290000000003</ChainId><SubChains><SubChainsXMLObject><SubChain><SubChainId>1</SubChainId><Stores><Store><SubChainStoresXMLObject><SubChainStoreXMLObject><StoreId>5</StoreId><StoreName>סיטי</StoreName></SubChainStoreXMLObject></SubChainStoresXMLObject></Store></Stores></SubChain></SubChainsXMLObject></SubChains></Root>
            """;

        var branch = Assert.Single(TestFiles.ReadStores(Encoding.UTF8.GetBytes(branches)));
        Assert.Equal(("7290696200003", 97, "1"), (branch.ChainId, branch.StoreId, branch.ZipCode));
        var shop = Assert.Single(TestFiles.ReadStores(Encoding.UTF8.GetBytes(wrapped)));
        Assert.Equal(("7290000000003", "1", 5, "סיטי"), (shop.ChainId, shop.SubChainId, shop.StoreId, shop.StoreName));
    }

    [Fact]
    public void ReadStores_BadStoreIds_RejectedByReason()
    {
        const string xml = """
            <Root><ChainId>7290027600007</ChainId><SubChains><SubChain><SubChainId>1</SubChainId><Stores>
            <Store><StoreId>abc</StoreId></Store><Store><StoreId> </StoreId></Store><Store><StoreId>4</StoreId></Store>
            </Stores></SubChain></SubChains></Root>
            """;
        var stats = new ReadStats();
        var store = Assert.Single(TestFiles.ReadStores(Encoding.UTF8.GetBytes(xml), stats));
        Assert.Equal(4, store.StoreId);
        Assert.Equal(1, stats.RejectsByReason["bad StoreId"]);
        Assert.Equal(1, stats.RejectsByReason["missing StoreId"]);
    }

    [Fact]
    public void ReadStores_EmptyStoreList_ReturnsNothing() =>
        Assert.Empty(TestFiles.ReadStores(Encoding.UTF8.GetBytes("<Root><ChainId>7290027600007</ChainId><SubChains/></Root>")));

    [Fact]
    public void ReadStores_PriceFileGivenAsStores_Throws()
    {
        var ex = Assert.Throws<InvalidDataException>(() =>
            TestFiles.ReadStores(Encoding.UTF8.GetBytes("<Root><ChainId>7290027600007</ChainId><Items><Item><ItemCode>1</ItemCode></Item></Items></Root>")));
        Assert.Contains("/Root", ex.Message, StringComparison.Ordinal);
    }
}
