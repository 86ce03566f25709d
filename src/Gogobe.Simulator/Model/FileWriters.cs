using System.Globalization;
using System.Xml;

namespace Gogobe.Simulator.Model;

/// <summary>Writes the standard Stores and PriceFull shapes (FORMATS.md) row by row, computing each row on the fly.</summary>
internal static class FileWriters
{
    private const int RowsBetweenDrains = 64;

    public static void WriteStores(GzipXmlOutput output, ChainModel chain, DateOnly day, bool truncate)
    {
        var xml = output.Xml;
        xml.WriteStartDocument();
        xml.WriteStartElement(chain.RootName);
        xml.WriteElementString("ChainId", chain.Id);
        xml.WriteElementString("ChainName", chain.Simulated.Chain.Name);
        xml.WriteElementString("LastUpdateDate", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        xml.WriteElementString("LastUpdateTime", "01:05:00");
        xml.WriteStartElement("SubChains");
        xml.WriteStartElement("SubChain");
        xml.WriteElementString("SubChainId", "001");
        xml.WriteElementString("SubChainName", chain.Simulated.Chain.Name);
        xml.WriteStartElement("Stores");
        for (var storeId = 1; storeId <= chain.StoreCount; storeId++)
        {
            var store = chain.Store(storeId);
            if (truncate && storeId > (chain.StoreCount + 1) / 2)
            {
                xml.WriteStartElement("Store");
                xml.WriteStartElement("StoreId");
                xml.WriteString(Text(storeId));
                output.CutHere();
                return;
            }

            xml.WriteStartElement("Store");
            xml.WriteElementString("StoreId", Text(storeId));
            xml.WriteElementString("BikoretNo", Text(store.BikoretNo));
            xml.WriteElementString("StoreType", Text(store.StoreType));
            xml.WriteElementString("StoreName", store.Name);
            xml.WriteElementString("Address", store.Address);
            xml.WriteElementString("City", store.City);
            xml.WriteElementString("ZipCode", store.ZipCode);
            xml.WriteEndElement();
        }

        if (truncate)
        {
            // A one-store chain: cut inside the closing part instead.
            xml.WriteStartElement("Store");
            output.CutHere();
            return;
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    public static async Task WritePriceFullAsync(
        GzipXmlOutput output, ChainModel chain, int storeId, PriceBook book, DateOnly firstDay, bool truncate, CancellationToken cancellationToken)
    {
        var rows = chain.RowsInFile(storeId);
        var cutAt = truncate ? rows / 2 : -1;
        var xml = output.Xml;
        xml.WriteStartDocument();
        xml.WriteStartElement(chain.RootName);
        xml.WriteElementString("ChainId", chain.Id);
        xml.WriteElementString("SubChainId", "001");
        xml.WriteElementString("StoreId", storeId.ToString("000", CultureInfo.InvariantCulture));
        xml.WriteElementString("BikoretNo", Text(chain.Store(storeId).BikoretNo));
        xml.WriteElementString("DllVerNo", "8.0.1.3");
        xml.WriteStartElement("Items");
        xml.WriteAttributeString("Count", Text(rows));
        var written = 0;
        for (var i = 0; i < chain.ItemsPerStore; i++)
        {
            if (written == cutAt)
            {
                WriteCutItem(output, chain, storeId, i);
                return;
            }

            WriteItem(xml, chain, storeId, i, book, firstDay);
            written++;
            if (chain.HasDuplicateAfter(storeId, i))
            {
                if (written == cutAt)
                {
                    WriteCutItem(output, chain, storeId, i);
                    return;
                }

                WriteItem(xml, chain, storeId, chain.DuplicateOf(storeId, i), book, firstDay);
                written++;
            }

            if (i % RowsBetweenDrains == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await output.DrainIfFullAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void WriteItem(XmlWriter xml, ChainModel chain, int storeId, int i, PriceBook book, DateOnly firstDay)
    {
        var k = chain.ProductAt(storeId, i);
        var product = chain.Product(k);
        var price = chain.PriceOf(storeId, k, book);
        var unitPrice = Math.Round(price / product.Quantity * product.Measure.PerUnits, 2, MidpointRounding.AwayFromZero);
        var (allowDiscount, status) = chain.Flags(k);
        xml.WriteStartElement("Item");
        xml.WriteElementString("PriceUpdateDate", chain.UpdateDate(storeId, k, book, firstDay).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        xml.WriteElementString("ItemCode", product.ItemCode);
        xml.WriteElementString("ItemType", Text(product.ItemType));
        xml.WriteElementString("ItemName", product.ItemName);
        xml.WriteElementString("ManufacturerName", product.Manufacturer);
        xml.WriteElementString("ManufactureCountry", product.Country);
        xml.WriteElementString("ManufacturerItemDescription", product.Description);
        xml.WriteElementString("UnitQty", product.Measure.UnitQty);
        xml.WriteElementString("Quantity", product.Quantity.ToString("0.00", CultureInfo.InvariantCulture));
        xml.WriteElementString("bIsWeighted", product.Weighted ? "1" : "0");
        xml.WriteElementString("UnitOfMeasure", product.Measure.UnitOfMeasure);
        xml.WriteElementString("QtyInPackage", product.QtyInPackage);
        xml.WriteElementString("ItemPrice", price.ToString("0.00", CultureInfo.InvariantCulture));
        xml.WriteElementString("UnitOfMeasurePrice", unitPrice.ToString("0.00", CultureInfo.InvariantCulture));
        xml.WriteElementString("AllowDiscount", allowDiscount ? "1" : "0");
        xml.WriteElementString("ItemStatus", Text(status));
        xml.WriteEndElement();
    }

    /// <summary>Starts a row and stops in the middle of its item code, as a transfer cut short leaves it.</summary>
    private static void WriteCutItem(GzipXmlOutput output, ChainModel chain, int storeId, int i)
    {
        var code = chain.Product(chain.ProductAt(storeId, i)).ItemCode;
        output.Xml.WriteStartElement("Item");
        output.Xml.WriteStartElement("ItemCode");
        output.Xml.WriteString(code[..Math.Max(1, code.Length / 2)]);
        output.CutHere();
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
