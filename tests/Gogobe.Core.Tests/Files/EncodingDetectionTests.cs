using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class EncodingDetectionTests
{
    private static string Xml(string? declaration = null) =>
        TestFiles.PriceXml(TestFiles.Item(name: TestFiles.HebrewName, extra: "<ManufacturerName>תנובה</ManufacturerName>"), declaration: declaration);

    private static void AssertReadsHebrew(byte[] bytes, int expectedCodePage)
    {
        foreach (var content in new[] { bytes, TestFiles.Gzip(bytes) })
        {
            using var file = TestFiles.Open(content);
            Assert.Equal(expectedCodePage, file.Encoding.CodePage);
            var row = Assert.Single(PriceFileReader.ReadPrices(file, new ReadStats(), CancellationToken.None));
            Assert.Equal(TestFiles.HebrewName, row.ItemName);
            Assert.Equal("תנובה", row.ManufacturerName);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Detect_LongHead_ValidUtf8EvenCutInsideAChar_InvalidByteNearTheEndIsNot(bool complete)
    {
        // A long head of two-byte Hebrew letters and four-byte chars.
        var text = string.Concat(Enumerable.Repeat("<ItemName>חלב 3% 🥛</ItemName>\n", 2_000));
        var bytes = Encoding.UTF8.GetBytes(text);
        var insideLastEmoji = Encoding.UTF8.GetByteCount(text.AsSpan(0, text.LastIndexOf("🥛", StringComparison.Ordinal))) + 2;

        Assert.Equal(Encoding.UTF8.CodePage, EncodingSniffer.Detect(bytes, complete).Encoding.CodePage);
        // A head cut inside a char says nothing against UTF-8; a whole file ending there is not UTF-8.
        Assert.Equal(complete ? 1255 : Encoding.UTF8.CodePage, EncodingSniffer.Detect(bytes.AsSpan(0, insideLastEmoji), complete).Encoding.CodePage);

        var broken = (byte[])bytes.Clone();
        broken[^40] = 0xFF;
        Assert.Equal(1255, EncodingSniffer.Detect(broken, complete).Encoding.CodePage);
    }

    [Fact]
    public void Open_Utf8BomWithoutDeclaration_ReadsHebrew() =>
        AssertReadsHebrew(TestFiles.Utf8WithBom(Xml()), Encoding.UTF8.CodePage);

    [Fact]
    public void Open_Utf8BomWithDeclarationOnOneLine_ReadsHebrew() =>
        AssertReadsHebrew(TestFiles.Utf8WithBom(Xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").Replace("\r\n", string.Empty, StringComparison.Ordinal)), Encoding.UTF8.CodePage);

    [Fact]
    public void Open_Utf8WithoutBomOrDeclaration_ReadsHebrew() =>
        AssertReadsHebrew(Encoding.UTF8.GetBytes(Xml()), Encoding.UTF8.CodePage);

    [Fact]
    public void Open_Windows1255Declared_ReadsHebrew() =>
        AssertReadsHebrew(TestFiles.Windows1255.GetBytes(Xml("<?xml version=\"1.0\" encoding=\"windows-1255\"?>")), 1255);

    [Fact]
    public void Open_Windows1255WithoutDeclaration_ReadsHebrew() =>
        AssertReadsHebrew(TestFiles.Windows1255.GetBytes(Xml()), 1255);

    [Fact]
    public void Open_Iso88598Declared_ReadsHebrewAsWindows1255() =>
        AssertReadsHebrew(TestFiles.Windows1255.GetBytes(Xml("<?xml version=\"1.0\" encoding=\"ISO-8859-8\" standalone=\"yes\"?>")), 1255);

    [Fact]
    public void Open_Utf8DeclaredButWindows1255Bytes_ReadsHebrew() =>
        AssertReadsHebrew(TestFiles.Windows1255.GetBytes(Xml("<?xml version=\"1.0\" encoding=\"utf-8\"?>")), 1255);

    [Fact]
    public void Open_Utf16LittleEndianBom_ReadsHebrew() =>
        AssertReadsHebrew([0xFF, 0xFE, .. Encoding.Unicode.GetBytes(Xml("<?xml version=\"1.0\" encoding=\"utf-16\"?>"))], Encoding.Unicode.CodePage);

    [Fact]
    public void Open_Utf16BigEndianBom_ReadsHebrew() =>
        AssertReadsHebrew([0xFE, 0xFF, .. Encoding.BigEndianUnicode.GetBytes(Xml("<?xml version=\"1.0\" encoding=\"utf-16\"?>"))], Encoding.BigEndianUnicode.CodePage);

    [Fact]
    public void ReadPrices_InvalidUtf8AfterSniffWindow_ThrowsInsteadOfGarbling()
    {
        // Valid UTF-8 for well over 64 KiB, then one windows-1255 name: the strict decoder must refuse it.
        var items = string.Concat(Enumerable.Range(0, 1500).Select(i => TestFiles.Item(itemCode: $"{i}", name: TestFiles.HebrewName)));
        var good = Encoding.UTF8.GetBytes(TestFiles.PriceXml(items + "@@@"));
        var at = Array.IndexOf(good, (byte)'@');
        byte[] bytes = [.. good[..at], .. TestFiles.Windows1255.GetBytes(TestFiles.Item(itemCode: "x", name: TestFiles.HebrewName)), .. good[(at + 3)..]];
        Assert.True(at > 64 * 1024);

        var ex = Assert.Throws<InvalidDataException>(() => TestFiles.ReadPrices(bytes));
        Assert.Contains("utf-8", ex.Message, StringComparison.Ordinal);
    }
}
