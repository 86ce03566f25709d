using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PgStatusQueriesTests(PostgresFixture fixture)
{
    [Fact]
    public async Task LatestPerChainAsync_SeveralFilesPerSource_ReturnsNewestOfEach()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var runId = Guid.NewGuid();
        foreach (var i in Enumerable.Range(1, 3))
        {
            await log.StartAsync(TestData.Start(source: "Alpha", runId: runId, fileName: $"alpha-{i}"), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(10));
            await log.SkipAsync([TestData.Start(source: "Beta", chainId: TestData.OtherChainId, runId: runId, fileName: $"beta-{i}")], "placeholder", CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(10));
        }

        var latest = await new PgStatusQueries(dataSource).LatestPerChainAsync(CancellationToken.None);

        Assert.Equal(2, latest.Count);
        Assert.Equal(("Alpha", "alpha-3", "processing", (DateTimeOffset?)null), (latest[0].Source, latest[0].FileName, latest[0].Status, latest[0].FinishedAt));
        Assert.Equal(("Beta", "beta-3", "skipped", "placeholder"), (latest[1].Source, latest[1].FileName, latest[1].Status, latest[1].Error));
        Assert.Equal(TestData.Noon.AddSeconds(50), latest[1].StartedAt);
        Assert.Equal(runId, latest[1].RunId);
    }

    [Fact]
    public async Task LatestPerChainAsync_CompletedWithRejectsAndNote_ReturnsThem()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(3)], new FileCounts(5, 0, 2, new Dictionary<string, int> { ["no price"] = 2 }, "2 rows rejected"));
        time.Advance(TimeSpan.FromSeconds(1));
        await new PgFileLog(dataSource, time).SkipAsync([TestData.Start(source: "Beta", chainId: TestData.OtherChainId)], "placeholder", CancellationToken.None);

        var latest = await new PgStatusQueries(dataSource).LatestPerChainAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, int> { ["no price"] = 2 }, latest[1].RejectsByReason);
        Assert.Equal("2 rows rejected", latest[1].Note);
        Assert.Null(latest[0].RejectsByReason);
        Assert.Null(latest[0].Note);
    }

    [Fact]
    public async Task RunTotalsAsync_MixedStatuses_SumsPerChainAndOverall()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var sink = new PgPriceSink(dataSource, time);
        var runId = Guid.NewGuid();

        var completedId = await log.StartAsync(TestData.Start(runId: runId), CancellationToken.None);
        await using (var writer = await sink.BeginFileAsync(completedId, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "a"), CancellationToken.None))
        {
            await writer.WritePricesAsync(TestData.Prices(10), CancellationToken.None);
            await writer.CompleteAsync(new FileCounts(12, 2, 1), CancellationToken.None);
        }

        var failedId = await log.StartAsync(TestData.Start(runId: runId, storeId: 2), CancellationToken.None);
        await log.FailAsync(failedId, "bad", new FileCounts(5, 0, 0), CancellationToken.None);
        await log.SkipAsync([TestData.Start(runId: runId, source: "Beta", chainId: TestData.OtherChainId)], "done today", CancellationToken.None);
        await log.StartAsync(TestData.Start(runId: Guid.NewGuid()), CancellationToken.None); // another run: not counted

        var totals = await new PgStatusQueries(dataSource).RunTotalsAsync(runId, CancellationToken.None);

        Assert.Equal(new FileTotals(3, 0, 1, 1, 1, 17, 2, 1, 10), totals.Totals);
        Assert.Equal(
            [new ChainRunTotals("Beta", TestData.OtherChainId, new FileTotals(1, 0, 0, 0, 1, 0, 0, 0, 0)),
             new ChainRunTotals("Test Chain", TestData.ChainId, new FileTotals(2, 0, 1, 1, 0, 17, 2, 1, 10))],
            totals.Chains);
    }

    [Fact]
    public async Task RunTotalsAndFiles_AFileRedoneAfterAFailedAttempt_CountsItsLastAttemptOnly()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var runId = Guid.NewGuid();
        var lost = await log.StartAsync(TestData.Start(runId: runId), CancellationToken.None);
        await log.FailAsync(lost, "worker lost; redone by the next attempt", new FileCounts(3, 0, 0), CancellationToken.None);
        var redone = await log.StartAsync(TestData.Start(runId: runId), CancellationToken.None);
        await using (var writer = await new PgPriceSink(dataSource, time).BeginFileAsync(redone, new FileTarget(TestData.ChainId, 1, FileKind.PriceFull, "a"), CancellationToken.None))
        {
            await writer.WritePricesAsync(TestData.Prices(5), CancellationToken.None);
            await writer.CompleteAsync(new FileCounts(7, 1, 0), CancellationToken.None);
        }

        var queries = new PgStatusQueries(dataSource);
        var totals = await queries.RunTotalsAsync(runId, CancellationToken.None);
        var files = await queries.RunFilesAsync(runId, CancellationToken.None);

        Assert.Equal(new FileTotals(1, 0, 1, 0, 0, 7, 1, 0, 5), totals.Totals);
        var file = Assert.Single(files).Outcome;
        Assert.Equal((Gogobe.Core.Orchestration.FileStatus.Completed, 7), (file.Status, file.RowsRead));
    }
}
