using System.Globalization;
using System.Xml;
using Gogobe.Core.Files;

namespace Gogobe.Simulator.Model;

/// <summary>
/// Serialises the rows of <see cref="Rows"/> in the chain's shape (FORMATS.md): standard, DataSet, Laib and Super-Pharm
/// price and promotion files, and the four Stores nestings. One row at a time; nothing per file is held.
/// </summary>
internal static class FileWriters
{
    private const int RowsBetweenDrains = 64;
    private const string XsNamespace = "http://www.w3.org/2001/XMLSchema";

    public static async Task WritePricesAsync(
        XmlOutput output, ChainModel chain, int storeId, IEnumerable<PriceRow> rows, int count, bool truncate, CancellationToken cancellationToken)
    {
        var xml = output.Xml;
        var shape = chain.Profile.Shape;
        var rowName = StartPriceFile(xml, chain, storeId, count);
        var cutAt = truncate ? count / 2 : -1;
        var written = 0;
        foreach (var row in rows)
        {
            if (written == cutAt)
            {
                CutRow(output, rowName, "ItemCode", row.ItemCode);
                return;
            }

            WritePrice(xml, chain, rowName, row, shape);
            if (++written % RowsBetweenDrains == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await output.DrainIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (truncate)
        {
            CutRow(output, rowName, "ItemCode", "7");
            return;
        }

        xml.WriteEndDocument();
    }

    public static async Task WritePromotionsAsync(
        XmlOutput output, ChainModel chain, int storeId, IEnumerable<PromotionRow> promotions, int count, bool truncate, CancellationToken cancellationToken)
    {
        var xml = output.Xml;
        var flat = chain.Profile.Shape is XmlShape.Laib or XmlShape.SuperPharm;
        var rowName = StartPromoFile(xml, chain, storeId, count);
        var cutAt = truncate ? count / 2 : -1;
        var written = 0;
        foreach (var promotion in promotions)
        {
            if (written == cutAt)
            {
                CutRow(output, rowName, "PromotionId", promotion.PromotionId);
                return;
            }

            WritePromotion(xml, rowName, promotion, flat);
            if (++written % RowsBetweenDrains == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await output.DrainIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (truncate)
        {
            CutRow(output, rowName, "PromotionId", "1");
            return;
        }

        xml.WriteEndDocument();
    }

    public static void WriteStores(XmlOutput output, ChainModel chain, DateOnly day, bool truncate)
    {
        var xml = output.Xml;
        var shape = chain.Profile.StoresShape;
        var caps = shape == StoresShape.SapAbap;
        xml.WriteStartDocument();
        string rowName;
        switch (shape)
        {
            case StoresShape.SapAbap:
                xml.WriteStartElement("asx", "abap", "http://www.sap.com/abapxml");
                xml.WriteAttributeString("version", "1.0");
                xml.WriteStartElement("asx", "values", "http://www.sap.com/abapxml");
                xml.WriteElementString("CHAINID", chain.Id);
                xml.WriteElementString("CHAINNAME", chain.Simulated.Chain.Name);
                xml.WriteElementString("LASTUPDATEDATE", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteStartElement("STORES");
                rowName = "STORE";
                break;
            case StoresShape.Branches:
                xml.WriteStartElement("Store");
                xml.WriteAttributeString("Date", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteStartElement("Branches");
                rowName = "Branch";
                break;
            default:
                xml.WriteStartElement(chain.RootName);
                xml.WriteElementString("ChainId", chain.Id);
                xml.WriteElementString("ChainName", chain.Simulated.Chain.Name);
                xml.WriteElementString("LastUpdateDate", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                xml.WriteElementString("LastUpdateTime", "01:05:00");
                xml.WriteStartElement("SubChains");
                if (shape == StoresShape.Wrapped)
                {
                    xml.WriteStartElement("SubChainsXMLObject");
                }

                xml.WriteStartElement("SubChain");
                xml.WriteElementString("SubChainId", ChainModel.SubChainId);
                xml.WriteElementString("SubChainName", chain.Simulated.Chain.Name);
                xml.WriteStartElement("Stores");
                if (shape == StoresShape.Wrapped)
                {
                    xml.WriteStartElement("Store");
                    xml.WriteStartElement("SubChainStoresXMLObject");
                    rowName = "SubChainStoreXMLObject";
                }
                else
                {
                    rowName = "Store";
                }

                break;
        }

        var idName = shape switch
        {
            StoresShape.SapAbap => "STOREID",
            StoresShape.Branches => "StoreID",
            _ => "StoreId",
        };
        foreach (var store in Rows.Stores(chain))
        {
            if (truncate && store.StoreId > (chain.StoreCount + 1) / 2)
            {
                CutRow(output, rowName, idName, Text(store.StoreId));
                return;
            }

            xml.WriteStartElement(rowName);
            if (shape == StoresShape.Branches)
            {
                xml.WriteElementString("ChainID", store.ChainId);
                xml.WriteElementString("ChainName", store.ChainName);
                xml.WriteElementString("SubChainID", store.SubChainId);
                xml.WriteElementString("SubChainName", store.SubChainName);
            }
            else if (caps)
            {
                xml.WriteElementString("SUBCHAINID", store.SubChainId);
                xml.WriteElementString("SUBCHAINNAME", store.SubChainName);
            }

            xml.WriteElementString(idName, shape == StoresShape.SapAbap ? store.StoreId.ToString("000", CultureInfo.InvariantCulture) : Text(store.StoreId));
            xml.WriteElementString(caps ? "BIKORETNO" : "BikoretNo", store.BikoretNo);
            xml.WriteElementString(caps ? "STORETYPE" : "StoreType", Text(store.StoreType ?? 1));
            xml.WriteElementString(caps ? "STORENAME" : "StoreName", store.StoreName);
            xml.WriteElementString(caps ? "ADDRESS" : "Address", store.Address ?? "");
            xml.WriteElementString(caps ? "CITY" : "City", store.City);
            xml.WriteElementString(caps ? "ZIPCODE" : shape == StoresShape.Branches ? "ZIPCode" : "ZipCode", store.ZipCode);
            xml.WriteEndElement();
        }

        if (truncate)
        {
            // A one-store chain: cut inside the closing part instead.
            CutRow(output, rowName, idName, "9");
            return;
        }

        xml.WriteEndDocument();
    }

    /// <summary>Writes everything before the first row; returns the row element's name.</summary>
    private static string StartPriceFile(XmlWriter xml, ChainModel chain, int storeId, int count)
    {
        xml.WriteStartDocument();
        switch (chain.Profile.Shape)
        {
            case XmlShape.DataSet:
                xml.WriteStartElement("NewDataSet");
                xml.WriteStartElement("xs", "schema", XsNamespace);
                xml.WriteAttributeString("id", "NewDataSet");
                xml.WriteStartElement("xs", "element", XsNamespace);
                xml.WriteAttributeString("name", "NewDataSet");
                xml.WriteAttributeString("msdata", "IsDataSet", "urn:schemas-microsoft-com:xml-msdata", "true");
                xml.WriteEndElement();
                xml.WriteEndElement();
                return "item";
            case XmlShape.Laib:
                xml.WriteStartElement("Prices");
                WriteIds(xml, chain, storeId);
                xml.WriteStartElement("Products");
                return "Product";
            case XmlShape.SuperPharm:
                StartOrderXml(xml, chain, storeId);
                return "Line";
            default:
                xml.WriteStartElement(chain.RootName);
                WriteIds(xml, chain, storeId);
                xml.WriteElementString("DllVerNo", "8.0.1.3");
                xml.WriteStartElement("Items");
                xml.WriteAttributeString("Count", Text(count));
                return "Item";
        }
    }

    private static string StartPromoFile(XmlWriter xml, ChainModel chain, int storeId, int count)
    {
        xml.WriteStartDocument();
        switch (chain.Profile.Shape)
        {
            case XmlShape.Laib:
                xml.WriteStartElement("Promos");
                WriteIds(xml, chain, storeId);
                xml.WriteStartElement("Sales");
                return "Sale";
            case XmlShape.SuperPharm:
                StartOrderXml(xml, chain, storeId);
                return "Line";
            default:
                xml.WriteStartElement(chain.RootName);
                WriteIds(xml, chain, storeId);
                xml.WriteElementString("DllVerNo", "8.0.1.3");
                xml.WriteStartElement("Promotions");
                xml.WriteAttributeString("Count", Text(count));
                return "Promotion";
        }
    }

    private static void StartOrderXml(XmlWriter xml, ChainModel chain, int storeId)
    {
        xml.WriteStartElement("OrderXml");
        xml.WriteStartElement("Envelope");
        WriteIds(xml, chain, storeId);
        xml.WriteStartElement("Header");
        xml.WriteStartElement("Details");
    }

    private static void WriteIds(XmlWriter xml, ChainModel chain, int storeId)
    {
        xml.WriteElementString("ChainId", chain.Id);
        xml.WriteElementString("SubChainId", ChainModel.SubChainId);
        xml.WriteElementString("StoreId", storeId.ToString("000", CultureInfo.InvariantCulture));
        xml.WriteElementString("BikoretNo", Text(chain.Store(storeId).BikoretNo));
    }

    private static void WritePrice(XmlWriter xml, ChainModel chain, string rowName, PriceRow row, XmlShape shape)
    {
        var laib = shape == XmlShape.Laib;
        var pad = chain.HasTrailingSpaces(row.ItemCode) ? "  " : "";
        xml.WriteStartElement(rowName);
        if (shape == XmlShape.DataSet)
        {
            xml.WriteElementString("ChainId", row.ChainId);
            xml.WriteElementString("SubChainId", row.SubChainId);
            xml.WriteElementString("StoreId", row.StoreId.ToString("000", CultureInfo.InvariantCulture));
        }

        xml.WriteElementString("PriceUpdateDate", row.PriceUpdateDate?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("ItemCode", row.ItemCode + pad);
        xml.WriteElementString("ItemType", Text(row.ItemType));
        xml.WriteStartElement(shape == XmlShape.DataSet ? "ItemNm" : "ItemName");
        if (row.ItemName!.Contains('&', StringComparison.Ordinal))
        {
            // The flaw as published: a bare ampersand, which a strict XML parser rejects.
            xml.WriteRaw(row.ItemName);
        }
        else
        {
            xml.WriteString(row.ItemName);
        }

        xml.WriteEndElement();
        xml.WriteElementString(laib ? "ManufactureName" : "ManufacturerName", row.ManufacturerName + pad);
        xml.WriteElementString("ManufactureCountry", row.ManufactureCountry);
        xml.WriteElementString(laib ? "ManufactureItemDescription" : "ManufacturerItemDescription", row.ManufacturerItemDescription);
        xml.WriteElementString("UnitQty", row.UnitQty);
        xml.WriteElementString("Quantity", Money(row.Quantity));
        xml.WriteElementString(laib ? "BisWeighted" : "bIsWeighted", Flag(row.IsWeighted));
        xml.WriteElementString("UnitOfMeasure", row.UnitOfMeasure);
        xml.WriteElementString("QtyInPackage", row.QtyInPackage);
        xml.WriteElementString("ItemPrice", Money(row.ItemPrice) + pad);
        xml.WriteElementString("UnitOfMeasurePrice", Money(row.UnitOfMeasurePrice));
        xml.WriteElementString("AllowDiscount", Flag(row.AllowDiscount));
        xml.WriteElementString("ItemStatus", Text(row.ItemStatus ?? 1));
        xml.WriteEndElement();
    }

    private static void WritePromotion(XmlWriter xml, string rowName, PromotionRow promotion, bool flat)
    {
        xml.WriteStartElement(rowName);
        xml.WriteElementString("PromotionId", promotion.PromotionId);
        xml.WriteElementString("PromotionDescription", promotion.Description);
        xml.WriteElementString("PromotionUpdateDate", promotion.UpdatedAt?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("PromotionStartDate", promotion.StartsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.WriteElementString("PromotionStartHour", promotion.StartsAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("PromotionEndDate", promotion.EndsAt?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.WriteElementString("PromotionEndHour", promotion.EndsAt?.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("RewardType", Text(promotion.RewardType ?? 1));
        xml.WriteElementString("AllowMultipleDiscounts", Flag(promotion.AllowMultipleDiscounts));
        xml.WriteElementString("IsWeightedPromo", Flag(promotion.IsWeightedPromo));
        xml.WriteElementString("MinQty", Money(promotion.MinQty));
        xml.WriteElementString("MaxQty", Money(promotion.MaxQty));
        xml.WriteElementString("DiscountedPrice", Money(promotion.DiscountedPrice));
        xml.WriteElementString("DiscountedPricePerMida", Money(promotion.DiscountedPricePerMida));
        xml.WriteElementString("DiscountRate", Money(promotion.DiscountRate));
        xml.WriteElementString("DiscountType", Text(promotion.DiscountType ?? 1));
        xml.WriteElementString("MinNoOfItemOfered", Text(promotion.MinNoOfItemsOffered ?? 1));
        if (flat)
        {
            // Laib sales and Super-Pharm lines carry their (single) item inline.
            var item = promotion.Items[0];
            xml.WriteElementString("ItemCode", item.ItemCode);
            xml.WriteElementString("ItemType", Text(item.ItemType));
            xml.WriteElementString("IsGiftItem", Flag(item.IsGift));
        }
        else
        {
            xml.WriteStartElement("PromotionItems");
            xml.WriteAttributeString("Count", Text(promotion.Items.Count));
            foreach (var item in promotion.Items)
            {
                xml.WriteStartElement("Item");
                xml.WriteElementString("ItemCode", item.ItemCode);
                xml.WriteElementString("ItemType", Text(item.ItemType));
                xml.WriteElementString("IsGiftItem", Flag(item.IsGift));
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteStartElement("AdditionalRestrictions");
        xml.WriteElementString("AdditionalIsCoupon", Flag(promotion.IsCoupon));
        xml.WriteElementString("AdditionalGiftCount", Text(promotion.GiftCount ?? 0));
        xml.WriteElementString("AdditionalIsTotal", Flag(promotion.IsTotal));
        xml.WriteElementString("AdditionalIsActive", Flag(promotion.IsActive));
        xml.WriteEndElement();
        xml.WriteStartElement("Clubs");
        foreach (var club in promotion.ClubIds)
        {
            xml.WriteElementString("ClubId", club);
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    /// <summary>Starts a row and stops in the middle of its first value, as a transfer cut short leaves it.</summary>
    private static void CutRow(XmlOutput output, string rowName, string fieldName, string value)
    {
        output.Xml.WriteStartElement(rowName);
        output.Xml.WriteStartElement(fieldName);
        output.Xml.WriteString(value[..Math.Max(1, value.Length / 2)]);
        output.CutHere();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Money(decimal? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";

    private static string Flag(bool? value) => value switch
    {
        true => "1",
        false => "0",
        null => "",
    };
}
