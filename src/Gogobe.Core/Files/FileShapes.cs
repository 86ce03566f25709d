namespace Gogobe.Core.Files;

/// <summary>Names of the price-file layouts, as reported in <see cref="ReadStats.Shape"/>.</summary>
public static class PriceShapes
{
    public const string Standard = "standard Root/Items/Item";
    public const string DataSet = "DataSet NewDataSet/item";
    public const string Laib = "Laib Prices/Products/Product";
    public const string SuperPharm = "Super-Pharm OrderXml";
}

/// <summary>Names of the promotion-file layouts, as reported in <see cref="ReadStats.Shape"/>.</summary>
public static class PromotionShapes
{
    public const string Standard = "standard Promotions";
    public const string Laib = "Laib Sales/Sale";
    public const string SuperPharm = "Super-Pharm OrderXml";
}

/// <summary>Names of the stores-file layouts, as reported in <see cref="ReadStats.Shape"/>.</summary>
public static class StoreShapes
{
    public const string Standard = "Stores standard";
    public const string Sap = "Stores SAP asx:abap";
    public const string Branches = "Stores Branches";
    public const string XmlObject = "Stores XMLObject";
}
