using System.Diagnostics;
using System.Globalization;
using Gogobe.Core.Files;
using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.Storage.Tests;

/// <summary>Measures the promotion write path (two COPYs + set-based apply) at a large store's volume.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PromotionThroughputTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int Promotions = 20_000;
    private const int ItemsPerPromotion = 5;
    private const int BatchSize = 5_000;

    [Fact]
    public async Task IngestPromotionsAsync_20kPromotionsOf5Items_FirstLoadWritesAllReloadChangesNone()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();

        // 20k distinct products, each covered by 5 promotions: a realistic overlap (many promotions per product).
        var rows = Enumerable.Range(0, Promotions)
            .Select(p => TestData.Promotion(
                "P" + p.ToString(CultureInfo.InvariantCulture),
                Enumerable.Range(0, ItemsPerPromotion).Select(i => (7290000100000L + (p + i * 4001) % Promotions).ToString(CultureInfo.InvariantCulture))))
            .ToList();
        var batches = rows.Chunk(BatchSize).Select(b => (IReadOnlyCollection<PromotionRow>)b).ToList();

        var watch = Stopwatch.StartNew();
        var first = await TestData.IngestPromotionsAsync(dataSource, time, batches);
        var firstElapsed = watch.Elapsed;

        time.Advance(TimeSpan.FromHours(1));
        watch.Restart();
        var reload = await TestData.IngestPromotionsAsync(dataSource, time, batches);
        var reloadElapsed = watch.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first load: {Promotions:N0} promotions ({Promotions * ItemsPerPromotion:N0} items) in {firstElapsed.TotalSeconds:F2}s " +
            $"({Promotions / firstElapsed.TotalSeconds:N0} promotions/s); identical reload: {reloadElapsed.TotalSeconds:F2}s " +
            $"({Promotions / reloadElapsed.TotalSeconds:N0} promotions/s)"));

        Assert.Equal(Promotions, first.RowsChanged);
        Assert.Equal(0, reload.RowsChanged);
        Assert.Equal(Promotions, await TestData.CountAsync(dataSource, "promotions"));
        Assert.Equal(Promotions * ItemsPerPromotion, await TestData.CountAsync(dataSource, "promotion_items"));
        Assert.Equal(Promotions, await TestData.CountAsync(dataSource, "products"));
    }
}
