using Gogobe.Core.Files;

namespace Gogobe.Simulator.Model;

/// <summary>
/// How the chains of the Bina, Laib catalog and PublishPrice families publish, per FORMATS.md: Bina chains write UTF-8
/// without BOM or declaration; the Laib chains UTF-16 LE with a BOM, Victory and H. Cohen still in the old
/// Prices/Products and Store/Branches layouts; Quik publishes no Stores file. Kept apart from
/// <see cref="ChainProfile"/>'s own table so each family's facts sit together.
/// </summary>
internal static class FamilyProfiles
{
    private static readonly ChainProfile Bina = new() { Encoding = XmlEncodingStyle.Utf8NoBom };

    public static IReadOnlyDictionary<string, ChainProfile> Known { get; } = new Dictionary<string, ChainProfile>(StringComparer.Ordinal)
    {
        ["7290058108879"] = Bina, // King Store
        // Maayan 2000: names ending .GZ, and a zip behind the .gz name (SHAPES.md §2).
        ["7290058159628"] = Bina with { NewNameScheme = true, Container = FileContainer.ZipNamedGz, UpperCaseExtension = true },
        ["7290058197699"] = Bina with { Container = FileContainer.ZipNamedGz }, // Good Pharm: zip payloads
        ["7290058173198"] = Bina with { Placeholders = true, Container = FileContainer.ZipNamedGz }, // Zol VeBegadol: zip payloads
        ["7290058156016"] = Bina, // Super Sapir
        ["7290875100001"] = Bina with { Container = FileContainer.Zip }, // Super Bareket
        ["7290058148776"] = Bina with { Flaws = true }, // Shuk HaIr
        ["7290058134977"] = Bina, // Shefa Birkat HaShem
        ["7290058288526"] = Bina with { StoresShape = StoresShape.Wrapped }, // City Market Kiryat Gat
        ["5144744100001"] = Bina, // Meshnat Yosef 2
        ["7290696200003"] = new() // Victory
        {
            Shape = XmlShape.Laib,
            StoresShape = StoresShape.Branches,
            Encoding = XmlEncodingStyle.Utf16LeBom,
        },
        ["7290661400001"] = new() // Mahsani A-Shuk
        {
            StoresShape = StoresShape.Branches,
            Encoding = XmlEncodingStyle.Utf16LeBom,
        },
        ["7290455000004"] = new() // H. Cohen
        {
            Shape = XmlShape.Laib,
            StoresShape = StoresShape.Branches,
            Encoding = XmlEncodingStyle.Utf16LeBom,
            Container = FileContainer.Plain,
        },
        ["7290055700007"] = new() // Carrefour
        {
            NewNameScheme = true,
        },
        ["7291029710008"] = new() // Quik: no Stores file
        {
            PublishedKinds = new HashSet<FileKind> { FileKind.PriceFull, FileKind.Price, FileKind.PromoFull, FileKind.Promo },
        },
    };
}
