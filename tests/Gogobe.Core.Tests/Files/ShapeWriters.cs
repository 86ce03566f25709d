using System.Globalization;
using System.Security;
using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>
/// Test-side writers: each turns expected row objects into a file of one published layout (FORMATS.md), so a reader
/// test can compare what comes out with what went in, field by field. Independent of the reader's code.
/// </summary>
internal static class ShapeWriters
{
    public const string Chain = "7290058140886";
    public const string SubChain = "001";
    public const int Store = 38;

    /// <summary>Every layout the reader must handle, with its kind and the shape name the reader reports.</summary>
    public static readonly IReadOnlyDictionary<string, (FileKind Kind, string ShapeName)> Shapes = new Dictionary<string, (FileKind, string)>
    {
        ["PriceStandard"] = (FileKind.PriceFull, PriceShapes.Standard),
        ["PriceDataSet"] = (FileKind.PriceFull, PriceShapes.DataSet),
        ["PriceLaib"] = (FileKind.PriceFull, PriceShapes.Laib),
        ["PriceSuperPharm"] = (FileKind.Price, PriceShapes.SuperPharm),
        ["PromoStandard"] = (FileKind.PromoFull, PromotionShapes.Standard),
        ["PromoLaib"] = (FileKind.PromoFull, PromotionShapes.Laib),
        ["PromoSuperPharm"] = (FileKind.Promo, PromotionShapes.SuperPharm),
        ["StoresStandard"] = (FileKind.Stores, StoreShapes.Standard),
        ["StoresSap"] = (FileKind.Stores, StoreShapes.Sap),
        ["StoresBranches"] = (FileKind.Stores, StoreShapes.Branches),
        ["StoresXmlObject"] = (FileKind.Stores, StoreShapes.XmlObject),
    };

    // ---- expected rows (Hebrew text kept inside windows-1255, so every encoding can carry it) ----

    public static IReadOnlyList<PriceRow> Prices { get; } =
    [
        new PriceRow
        {
            ChainId = Chain, SubChainId = SubChain, StoreId = Store, ItemCode = "7290000000015", ItemType = 1,
            ItemName = "חלב תנובה 3% בקרטון 1 ליטר", ManufacturerName = "תנובה & שות'", ManufactureCountry = "ישראל",
            ManufacturerItemDescription = "חלב \"טרי\" <מהדרין>", UnitQty = "ליטר", Quantity = 1.00m, UnitOfMeasure = "100 מ\"ל",
            IsWeighted = false, QtyInPackage = "לא ידוע", ItemPrice = 6.90m, UnitOfMeasurePrice = 0.69m, AllowDiscount = true,
            ItemStatus = 1, PriceUpdateDate = new DateTime(2024, 5, 16, 22, 25, 16),
        },
        new PriceRow
        {
            ChainId = Chain, SubChainId = SubChain, StoreId = Store, ItemCode = "1234", ItemType = 0,
            ItemName = "עגבניות שרי", ManufacturerName = "ירקות השדה", UnitQty = "קילוגרם", Quantity = 1m,
            UnitOfMeasure = "1 ק\"ג", IsWeighted = true, ItemPrice = 12.5m, AllowDiscount = false,
            PriceUpdateDate = new DateTime(2024, 3, 3),
        },
        new PriceRow
        {
            ChainId = Chain, SubChainId = SubChain, StoreId = Store, ItemCode = "7290011194246", ItemType = 1,
            ItemName = "Coca-Cola 1.5L", ItemPrice = 0m,
        },
    ];

    public static IReadOnlyList<PromotionRow> Promotions { get; } =
    [
        new PromotionRow
        {
            ChainId = Chain, SubChainId = SubChain, StoreId = Store, PromotionId = "1000123",
            Description = "2 ב-10 ש\"ח על מוצרי חלב", StartsAt = new DateTime(2024, 5, 1, 8, 30, 0), EndsAt = new DateTime(2024, 5, 31, 23, 59, 0),
            UpdatedAt = new DateTime(2024, 4, 30, 12, 0, 5), RewardType = 1, AllowMultipleDiscounts = true, IsWeightedPromo = false,
            MinQty = 2m, MaxQty = 4m, DiscountedPrice = 10m, DiscountedPricePerMida = 5m, DiscountRate = 0m, DiscountType = 1,
            MinNoOfItemsOffered = 2, IsCoupon = false, GiftCount = 0, IsTotal = false, IsActive = true,
            ClubIds = ["0"],
            Items = [new PromotionItem("7290000000015", 1, false), new PromotionItem("7290000000022", 1, false), new PromotionItem("555", 0, true)],
        },
        new PromotionRow
        {
            ChainId = Chain, SubChainId = SubChain, StoreId = Store, PromotionId = "1000124",
            Description = "10% הנחה לחברי מועדון", StartsAt = new DateTime(2024, 6, 1), EndsAt = new DateTime(2024, 6, 30, 23, 59, 59),
            RewardType = 2, DiscountRate = 10m, ClubIds = ["3"],
            Items = [new PromotionItem("7290011194246", 1, false)],
        },
    ];

    public static IReadOnlyList<StoreRow> Stores { get; } =
    [
        new StoreRow
        {
            ChainId = Chain, ChainName = "ויקטורי", SubChainId = SubChain, SubChainName = "ויקטורי סופר", StoreId = 38,
            BikoretNo = "4", StoreType = 1, StoreName = "ת\"א - אבן גבירול", Address = "אבן גבירול 101", City = "תל אביב", ZipCode = "6203854",
        },
        new StoreRow
        {
            ChainId = Chain, ChainName = "ויקטורי", SubChainId = SubChain, SubChainName = "ויקטורי סופר", StoreId = 402,
            StoreType = 2, StoreName = "אונליין", Address = "unknown",
        },
    ];

    public static string Write(string shape) => shape switch
    {
        "PriceStandard" => PriceStandard(Prices),
        "PriceDataSet" => PriceDataSet(Prices),
        "PriceLaib" => PriceLaib(Prices),
        "PriceSuperPharm" => PriceSuperPharm(Prices),
        "PromoStandard" => PromoStandard(Promotions),
        "PromoLaib" => PromoLaib(Promotions),
        "PromoSuperPharm" => PromoSuperPharm(Promotions),
        "StoresStandard" => StoresStandard(Stores),
        "StoresSap" => StoresSap(Stores),
        "StoresBranches" => StoresBranches(Stores),
        "StoresXmlObject" => StoresXmlObject(Stores),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    // ---- prices ----

    public static string PriceStandard(IEnumerable<PriceRow> rows)
    {
        var list = rows.ToList();
        var x = new StringBuilder("<Root>\r\n");
        Header(x, "XmlDocVersion");
        x.Append(CultureInfo.InvariantCulture, $"<Items Count=\"{list.Count}\">\r\n");
        foreach (var row in list)
        {
            x.Append("<Item>\r\n").Append(PriceFields(row)).Append("</Item>\r\n");
        }

        return x.Append("</Items>\r\n</Root>\r\n").ToString();
    }

    public static string PriceDataSet(IEnumerable<PriceRow> rows)
    {
        var x = new StringBuilder("<NewDataSet>");
        x.Append("<xs:schema id=\"NewDataSet\" xmlns=\"\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"NewDataSet\"><xs:complexType><xs:choice minOccurs=\"0\" maxOccurs=\"unbounded\"><xs:element name=\"item\"/></xs:choice></xs:complexType></xs:element></xs:schema>");
        foreach (var row in rows)
        {
            // The DataSet dump repeats the header ids on every row.
            x.Append("<item>").Append(El("ChainId", row.ChainId)).Append(El("SubChainId", row.SubChainId))
                .Append(El("StoreId", row.StoreId.ToString("000", CultureInfo.InvariantCulture))).Append(PriceFields(row)).Append("</item>");
        }

        return x.Append("</NewDataSet>").ToString();
    }

    public static string PriceLaib(IEnumerable<PriceRow> rows)
    {
        var x = new StringBuilder("<Prices>\n");
        Header(x, "DllVerNo");
        x.Append("<Products>\n");
        foreach (var row in rows)
        {
            x.Append("<Product>").Append(PriceFields(row)).Append("</Product>\n");
        }

        return x.Append("</Products>\n</Prices>\n").ToString();
    }

    public static string PriceSuperPharm(IEnumerable<PriceRow> rows)
    {
        var x = new StringBuilder("<OrderXml><Envelope>");
        Header(x, "MessageId");
        x.Append("<Header><DocType>Prices</DocType></Header><Details>");
        foreach (var row in rows)
        {
            x.Append("<Line>").Append(PriceFields(row)).Append("</Line>");
        }

        return x.Append("</Details></Envelope></OrderXml>").ToString();
    }

    private static string PriceFields(PriceRow r) =>
        El("PriceUpdateDate", r.PriceUpdateDate is { } d ? (d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) : null) +
        El("ItemCode", r.ItemCode) + El("ItemType", Num(r.ItemType)) + El("ItemName", r.ItemName) +
        El("ManufacturerName", r.ManufacturerName) + El("ManufactureCountry", r.ManufactureCountry) +
        El("ManufacturerItemDescription", r.ManufacturerItemDescription) + El("UnitQty", r.UnitQty) + El("Quantity", Num(r.Quantity)) +
        El("UnitOfMeasure", r.UnitOfMeasure) + El("bIsWeighted", Flag(r.IsWeighted)) + El("QtyInPackage", r.QtyInPackage) +
        El("ItemPrice", Num(r.ItemPrice)) + El("UnitOfMeasurePrice", Num(r.UnitOfMeasurePrice)) + El("AllowDiscount", Flag(r.AllowDiscount)) +
        El("ItemStatus", Num(r.ItemStatus)) + "\r\n";

    // ---- promotions ----

    public static string PromoStandard(IEnumerable<PromotionRow> rows)
    {
        var list = rows.ToList();
        var x = new StringBuilder("<Root>\r\n");
        Header(x, "DllVerNo");
        x.Append(CultureInfo.InvariantCulture, $"<Promotions Count=\"{list.Count}\">\r\n");
        foreach (var p in list)
        {
            x.Append("<Promotion>").Append(PromoFields(p)).Append("<AdditionalRestrictions>").Append(Restrictions(p)).Append("</AdditionalRestrictions>");
            x.Append("<Clubs>");
            foreach (var club in p.ClubIds)
            {
                x.Append(El("ClubId", club));
            }

            x.Append(CultureInfo.InvariantCulture, $"</Clubs><PromotionItems Count=\"{p.Items.Count}\">");
            foreach (var item in p.Items)
            {
                x.Append("<Item>").Append(ItemFields(item)).Append("</Item>");
            }

            x.Append("</PromotionItems></Promotion>\r\n");
        }

        return x.Append("</Promotions>\r\n</Root>").ToString();
    }

    /// <summary>Old Laib layout: one Sale per item, the promotion's fields repeated on each.</summary>
    public static string PromoLaib(IEnumerable<PromotionRow> rows)
    {
        var x = new StringBuilder("<Promos>");
        Header(x, "DllVerNo");
        x.Append("<Sales>");
        foreach (var p in rows)
        {
            foreach (var item in p.Items)
            {
                x.Append("<Sale>").Append(ItemFields(item)).Append(PromoFields(p)).Append(Restrictions(p));
                foreach (var club in p.ClubIds)
                {
                    x.Append(El("ClubId", club));
                }

                x.Append("</Sale>\n");
            }
        }

        return x.Append("</Sales></Promos>").ToString();
    }

    /// <summary>Super-Pharm: ids in the Envelope, one Line per item.</summary>
    public static string PromoSuperPharm(IEnumerable<PromotionRow> rows)
    {
        var x = new StringBuilder("<OrderXml><Envelope>");
        Header(x, "MessageId");
        x.Append("<Header><DocType>Promos</DocType></Header><Details>");
        foreach (var p in rows)
        {
            foreach (var item in p.Items)
            {
                x.Append("<Line>").Append(PromoFields(p)).Append("<AdditionalRestrictions>").Append(Restrictions(p)).Append("</AdditionalRestrictions><Clubs>");
                foreach (var club in p.ClubIds)
                {
                    x.Append(El("ClubId", club));
                }

                x.Append("</Clubs>").Append(ItemFields(item)).Append("</Line>");
            }
        }

        return x.Append("</Details></Envelope></OrderXml>").ToString();
    }

    private static string PromoFields(PromotionRow p) =>
        El("PromotionId", p.PromotionId) + El("PromotionDescription", p.Description) +
        El("PromotionUpdateDate", p.UpdatedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)) +
        El("PromotionStartDate", p.StartsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) +
        El("PromotionStartHour", p.StartsAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture)) +
        El("PromotionEndDate", p.EndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) +
        El("PromotionEndHour", p.EndsAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture)) +
        El("RewardType", Num(p.RewardType)) + El("AllowMultipleDiscounts", Flag(p.AllowMultipleDiscounts)) +
        El("IsWeightedPromo", Flag(p.IsWeightedPromo)) + El("MinQty", Num(p.MinQty)) + El("MaxQty", Num(p.MaxQty)) +
        El("DiscountedPrice", Num(p.DiscountedPrice)) + El("DiscountedPricePerMida", Num(p.DiscountedPricePerMida)) +
        El("DiscountRate", Num(p.DiscountRate)) + El("DiscountType", Num(p.DiscountType)) +
        El("MinNoOfItemOfered", Num(p.MinNoOfItemsOffered));

    private static string Restrictions(PromotionRow p) =>
        El("AdditionalIsCoupon", Flag(p.IsCoupon)) + El("AdditionalGiftCount", Num(p.GiftCount)) +
        El("AdditionalIsTotal", Flag(p.IsTotal)) + El("AdditionalIsActive", Flag(p.IsActive));

    private static string ItemFields(PromotionItem item) =>
        El("ItemCode", item.ItemCode) + El("ItemType", Num(item.ItemType)) + El("IsGiftItem", Flag(item.IsGift));

    // ---- stores ----

    public static string StoresStandard(IEnumerable<StoreRow> rows)
    {
        var list = rows.ToList();
        var x = new StringBuilder("<Root>");
        x.Append(El("ChainId", list[0].ChainId)).Append(El("ChainName", list[0].ChainName)).Append(El("LastUpdateDate", "2024-10-07"));
        x.Append("<SubChains><SubChain>").Append(El("SubChainId", list[0].SubChainId)).Append(El("SubChainName", list[0].SubChainName)).Append("<Stores>");
        foreach (var s in list)
        {
            x.Append("<Store>").Append(StoreFields(s, upper: false)).Append("</Store>");
        }

        return x.Append("</Stores></SubChain></SubChains></Root>").ToString();
    }

    public static string StoresSap(IEnumerable<StoreRow> rows)
    {
        var list = rows.ToList();
        var x = new StringBuilder("<asx:abap xmlns:asx=\"http://www.sap.com/abapxml\" version=\"1.0\"><asx:values>");
        x.Append(El("CHAINID", list[0].ChainId)).Append(El("CHAINNAME", list[0].ChainName)).Append("<STORES>");
        foreach (var s in list)
        {
            x.Append("<STORE>").Append(El("SUBCHAINID", s.SubChainId)).Append(El("SUBCHAINNAME", s.SubChainName))
                .Append(StoreFields(s, upper: true)).Append("</STORE>");
        }

        return x.Append("</STORES></asx:values></asx:abap>").ToString();
    }

    public static string StoresBranches(IEnumerable<StoreRow> rows)
    {
        var x = new StringBuilder("<Store><Branches>");
        foreach (var s in rows)
        {
            x.Append("<Branch>").Append(El("ChainID", s.ChainId)).Append(El("ChainName", s.ChainName)).Append(El("SubChainID", s.SubChainId))
                .Append(El("SubChainName", s.SubChainName)).Append(StoreFields(s, upper: false).Replace("StoreId>", "StoreID>", StringComparison.Ordinal).Replace("ZipCode>", "ZIPCode>", StringComparison.Ordinal))
                .Append("</Branch>");
        }

        return x.Append("</Branches></Store>").ToString();
    }

    public static string StoresXmlObject(IEnumerable<StoreRow> rows)
    {
        var list = rows.ToList();
        var x = new StringBuilder("<Root>");
        x.Append(El("ChainId", list[0].ChainId)).Append(El("ChainName", list[0].ChainName));
        x.Append("<SubChains><SubChainsXMLObject><SubChain>").Append(El("SubChainId", list[0].SubChainId)).Append(El("SubChainName", list[0].SubChainName));
        x.Append("<Stores><Store><SubChainStoresXMLObject>");
        foreach (var s in list)
        {
            x.Append("<SubChainStoreXMLObject>").Append(StoreFields(s, upper: false)).Append("</SubChainStoreXMLObject>");
        }

        return x.Append("</SubChainStoresXMLObject></Store></Stores></SubChain></SubChainsXMLObject></SubChains></Root>").ToString();
    }

    private static string StoreFields(StoreRow s, bool upper)
    {
        string N(string name) => upper ? name.ToUpperInvariant() : name;
        return El(N("StoreId"), s.StoreId.ToString("000", CultureInfo.InvariantCulture)) + El(N("BikoretNo"), s.BikoretNo) +
            El(N("StoreType"), Num(s.StoreType)) + El(N("StoreName"), s.StoreName) + El(N("Address"), s.Address) +
            El(N("City"), s.City) + El(N("ZipCode"), s.ZipCode);
    }

    // ---- helpers ----

    private static void Header(StringBuilder x, string ignored)
    {
        x.Append(El(ignored, "8.0.1.3")).Append(El("ChainId", Chain)).Append(El("SubChainId", SubChain))
            .Append(El("StoreId", Store.ToString("000", CultureInfo.InvariantCulture))).Append(El("BikoretNo", "4")).Append("\r\n");
    }

    private static string El(string name, string? value) => value is null ? string.Empty : $"<{name}>{SecurityElement.Escape(value)}</{name}>";

    private static string? Num(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Num(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static string? Flag(bool? value) => value is null ? null : value.Value ? "1" : "0";
}
