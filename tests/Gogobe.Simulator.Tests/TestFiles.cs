using System.IO.Compression;
using System.Text;
using System.Xml;
using Gogobe.Core.Files;
using Gogobe.Simulator;

namespace Gogobe.Simulator.Tests;

/// <summary>A parsed PriceFull/Stores file: header values, the Items Count attribute and every row's fields in order.</summary>
internal sealed record ParsedFile(string Root, Dictionary<string, string> Header, int? DeclaredCount, List<Dictionary<string, string>> Rows);

/// <summary>
/// A small, independent XML check for tests (not the product reader): gunzip, decode with the encoding the world says
/// it used, read elements with a plain XmlReader.
/// </summary>
internal static class TestFiles
{
    public static readonly DateOnly Day = new(2026, 2, 17);

    /// <summary>
    /// The classic picture these older tests check with their own small parser: Stores and PriceFull only, every chain
    /// standard XML in gzip under classic names, each keeping its default encoding (UTF-16 written as UTF-8 instead).
    /// </summary>
    public static SimulatorOptions Options(int items = 300, int stores = 3, int seed = 42, double duplicateRate = 0.02)
    {
        var options = AllKinds(items, stores, seed, duplicateRate);
        options.Kinds.Remove(FileKind.Price);
        options.Kinds.Remove(FileKind.Promo);
        options.Kinds.Remove(FileKind.PromoFull);
        foreach (var chain in options.Chains)
        {
            var encoding = ChainProfile.DefaultFor(chain.Chain.Id).Encoding;
            options.Profiles[chain.Chain.Id] = new ChainProfile
            {
                Encoding = encoding == XmlEncodingStyle.Utf16LeBom ? XmlEncodingStyle.Utf8NoBom : encoding,
            };
        }

        return options;
    }

    /// <summary>Every kind, every chain on its default profile.</summary>
    public static SimulatorOptions AllKinds(int items = 300, int stores = 3, int seed = 42, double duplicateRate = 0.02) => new()
    {
        Seed = seed,
        ItemsPerStore = items,
        StoresPerChain = stores,
        DuplicateRate = duplicateRate,
        Day = Day,
    };

    public static async Task<byte[]> GenerateAsync(SimulatedWorld world, string chainId, string fileName)
    {
        using var buffer = new MemoryStream();
        await world.WriteFileAsync(chainId, fileName, buffer, CancellationToken.None);
        return buffer.ToArray();
    }

    public static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>The single entry of a zip.</summary>
    public static byte[] Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var input = archive.Entries.Single().Open();
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    public static Encoding EncodingFor(XmlEncodingStyle style) => style is XmlEncodingStyle.Windows1255Declared or XmlEncodingStyle.Windows1255Undeclared
        ? CodePagesEncodingProvider.Instance.GetEncoding(1255)!
        : new UTF8Encoding(false, true);

    public static ParsedFile Parse(byte[] xmlBytes, XmlEncodingStyle style)
    {
        using var text = new StreamReader(new MemoryStream(xmlBytes), EncodingFor(style), detectEncodingFromByteOrderMarks: true);
        using var xml = XmlReader.Create(text, new XmlReaderSettings { IgnoreWhitespace = true });
        xml.MoveToContent();
        var root = xml.LocalName;
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new List<Dictionary<string, string>>();
        int? count = null;
        Dictionary<string, string>? row = null;
        xml.Read();
        while (!xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                var name = xml.LocalName;
                if (name is "Item" or "Store")
                {
                    row = new Dictionary<string, string>(StringComparer.Ordinal);
                    rows.Add(row);
                }
                else if (name == "Items")
                {
                    count = int.Parse(xml.GetAttribute("Count")!, System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (name is not ("SubChains" or "SubChain" or "Stores"))
                {
                    if (xml.IsEmptyElement)
                    {
                        (row ?? header)[name] = "";
                        xml.Read();
                        continue;
                    }

                    // Reads the leaf's text and moves past it.
                    (row ?? header)[name] = xml.ReadElementContentAsString();
                    if (xml.NodeType != XmlNodeType.EndElement || xml.LocalName is not ("Item" or "Store"))
                    {
                        continue;
                    }
                }
            }

            if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName is "Item" or "Store")
            {
                row = null;
            }

            xml.Read();
        }

        return new ParsedFile(root, header, count, rows);
    }

    public static ParsedFile ParseGz(byte[] gz, XmlEncodingStyle style) => Parse(Gunzip(gz), style);

    /// <summary>productKey → price, last occurrence winning, as FORMATS.md says a file is read.</summary>
    public static Dictionary<string, decimal> Prices(ParsedFile file, string chainId)
    {
        var prices = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var row in file.Rows)
        {
            var key = ProductKeys.For(int.Parse(row["ItemType"], System.Globalization.CultureInfo.InvariantCulture), chainId, row["ItemCode"]);
            prices[key] = decimal.Parse(row["ItemPrice"], System.Globalization.CultureInfo.InvariantCulture);
        }

        return prices;
    }
}
