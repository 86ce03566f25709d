using System.Text;
using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

/// <summary>The table decoder of windows-1255 gives exactly the code-pages provider's text, through every way it is called.</summary>
public sealed class SingleByteTableEncodingTests
{
    private static readonly Encoding Provider = TestFiles.Windows1255;

    [Fact]
    public void Sniffer_Windows1255_IsTheTableFormWithTheProvidersNames()
    {
        var fast = EncodingSniffer.Windows1255;
        Assert.IsType<SingleByteTableEncoding>(fast);
        Assert.Equal(1255, fast.CodePage);
        Assert.Equal(Provider.WebName, fast.WebName);
        Assert.True(fast.IsSingleByte);
    }

    [Fact]
    public void GetString_EveryByte_AsTheProviderDecodesIt()
    {
        var all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        Assert.Equal(Provider.GetString(all), EncodingSniffer.Windows1255.GetString(all));
        foreach (var b in all)
        {
            Assert.Equal(Provider.GetString([b]), EncodingSniffer.Windows1255.GetString([b]));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(4096)]
    public void StreamReader_MixedText_SameAsTheProviderWhateverTheChunks(int bufferSize)
    {
        var random = new Random(1255);
        var bytes = new byte[200_000];
        for (var i = 0; i < bytes.Length;)
        {
            // Runs like a price file's: long ASCII markup, short Hebrew words, stray upper-half bytes (undefined ones too).
            var run = random.Next(1, random.Next(2) == 0 ? 90 : 12);
            var upper = random.Next(3) == 0;
            for (var j = 0; j < run && i < bytes.Length; j++, i++)
            {
                bytes[i] = (byte)(upper ? random.Next(0x80, 0x100) : random.Next(0x00, 0x80));
            }
        }

        Assert.Equal(Read(bytes, Provider, bufferSize), Read(bytes, EncodingSniffer.Windows1255, bufferSize));
        Assert.Equal(Provider.GetString(bytes), EncodingSniffer.Windows1255.GetString(bytes));
        var decoded = new char[bytes.Length];
        Assert.Equal(bytes.Length, EncodingSniffer.Windows1255.GetDecoder().GetChars(bytes, decoded, flush: false));
        Assert.Equal(Provider.GetString(bytes), new string(decoded));
    }

    [Fact]
    public void Decode_OutputTooSmall_Throws()
    {
        var decoder = EncodingSniffer.Windows1255.GetDecoder();
        Assert.Throws<ArgumentException>(() => decoder.GetChars(new byte[10], new char[9], flush: false));
    }

    [Fact]
    public void Encode_IsTheProviders()
    {
        const string text = "<Item>חלב תנובה 3%</Item>";
        Assert.Equal(Provider.GetBytes(text), EncodingSniffer.Windows1255.GetBytes(text));
    }

    private static string Read(byte[] bytes, Encoding encoding, int bufferSize)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), encoding, detectEncodingFromByteOrderMarks: false, bufferSize);
        var text = new StringBuilder();
        var chunk = new char[Math.Max(1, bufferSize / 3)];
        int read;
        while ((read = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            text.Append(chunk, 0, read);
        }

        return text.ToString();
    }
}
