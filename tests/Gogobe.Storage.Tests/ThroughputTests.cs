using System.Diagnostics;
using System.Globalization;
using Gogobe.Core.Files;
using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.Storage.Tests;

/// <summary>Measures the hot write path (direct COPY of narrow rows) and checks it stays correct at volume.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class ThroughputTests(PostgresFixture fixture, ITestOutputHelper output)
{
    private const int Rows = 200_000;
    private const int BatchSize = 20_000;

    [Fact]
    public async Task IngestPricesAsync_200kRows_FirstLoadWritesAllReloadWritesNone()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var rows = TestData.Prices(Rows);
        var batches = rows.Chunk(BatchSize).Select(b => (IReadOnlyCollection<PriceRow>)b).ToList();

        var watch = Stopwatch.StartNew();
        var first = await TestData.IngestPricesAsync(dataSource, time, batches);
        var firstElapsed = watch.Elapsed;

        time.Advance(TimeSpan.FromHours(1));
        watch.Restart();
        var reload = await TestData.IngestPricesAsync(dataSource, time, batches);
        var reloadElapsed = watch.Elapsed;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"first load: {Rows:N0} rows in {firstElapsed.TotalSeconds:F2}s ({Rows / firstElapsed.TotalSeconds:N0} rows/s); " +
            $"identical reload: {reloadElapsed.TotalSeconds:F2}s ({Rows / reloadElapsed.TotalSeconds:N0} rows/s)"));

        Assert.Equal(Rows, first.RowsChanged);
        Assert.Equal(0, reload.RowsChanged);
        Assert.Equal(Rows, await TestData.CountAsync(dataSource, "prices"));
        Assert.Equal(Rows, await TestData.CountAsync(dataSource, "price_history"));
    }
}
