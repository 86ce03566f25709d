using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class PriceRowBuilderTests
{
    [Fact]
    public void SurelyNotWhiteSpace_NeverTrueForWhiteSpace_AndTrueForDigitsLatinAndHebrew()
    {
        for (var c = char.MinValue; ; c++)
        {
            Assert.False(PriceRowBuilder.SurelyNotWhiteSpace(c) && char.IsWhiteSpace(c), $"U+{(int)c:X4}");
            if (c == char.MaxValue)
            {
                break;
            }
        }

        Assert.All("09azAZאת.-%".ToCharArray(), c => Assert.True(PriceRowBuilder.SurelyNotWhiteSpace(c)));
    }

    [Theory]
    [InlineData(" חלב", 1)]
    [InlineData("חלב\u00A0", 1)]
    [InlineData("חלב\u1680", 1)]
    [InlineData("חלב\u0085", 1)]
    [InlineData("חלב", 0)]
    public void Build_ValueWithWhiteSpaceAtAnEnd_TrimmedAndCountedAsARepair(string name, int repairs)
    {
        var stats = new ReadStats();
        var builder = new PriceRowBuilder(stats);
        builder.Clear();
        builder.Set(PriceField.ItemCode, "7290000000001".AsMemory());
        builder.Set(PriceField.ChainId, "7290058140886".AsMemory());
        builder.Set(PriceField.StoreId, "1".AsMemory());
        builder.Set(PriceField.ItemPrice, "5.90".AsMemory());
        builder.Set(PriceField.ItemName, name.AsMemory());

        var row = builder.Build(null, null, null);

        Assert.Equal("חלב", row!.ItemName);
        Assert.Equal(repairs, stats.Repairs);
    }
}
