using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.TestSupport;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PgFileLogTests(PostgresFixture fixture)
{
    [Fact]
    public async Task CompletedOnAsync_CompletedJustAfterIsraelMidnight_TrueForIsraelDateOnly()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();

        // 22:30 UTC on 10 March = 00:30 on 11 March in Israel (UTC+2): the UTC date and the Israel date differ.
        var time = new FixedTimeProvider(new DateTimeOffset(2026, 3, 10, 22, 30, 0, TimeSpan.Zero));
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(3)], storeId: 7);
        var log = new PgFileLog(dataSource, time);

        Assert.Equal([(7, FileKind.PriceFull)], await log.CompletedOnAsync(TestData.ChainId, new DateOnly(2026, 3, 11), CancellationToken.None));
        Assert.Empty(await log.CompletedOnAsync(TestData.ChainId, new DateOnly(2026, 3, 10), CancellationToken.None));
        Assert.Empty(await log.CompletedOnAsync(TestData.ChainId, new DateOnly(2026, 3, 12), CancellationToken.None));
        Assert.Empty(await log.CompletedOnAsync(TestData.OtherChainId, new DateOnly(2026, 3, 11), CancellationToken.None));
    }

    [Fact]
    public async Task CompletedOnAsync_StartedButNotCompleted_False()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);
        await log.FailAsync(logId, "bad xml", FileCounts.None, CancellationToken.None);

        Assert.Empty(await log.CompletedOnAsync(TestData.ChainId, new DateOnly(2026, 3, 10), CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_UnparsedName_WritesProcessingRowWithNullStoreAndKind()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var runId = Guid.NewGuid();

        var logId = await new PgFileLog(dataSource, time).StartAsync(new FileLogStart(runId, "Test Chain", TestData.ChainId, null, "weird.bin", null), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(Guid RunId, string Status, int? StoreId, string? FileType, DateTime StartedAt, DateTime? FinishedAt)>(
            "SELECT run_id, status, store_id, file_type, started_at, finished_at FROM file_processing_log WHERE id = @logId", new { logId });
        Assert.Equal((runId, "processing", (int?)null, (string?)null, TestData.Noon.UtcDateTime, (DateTime?)null), row);
    }

    [Fact]
    public async Task FailAsync_ProcessingRow_MarksFailedWithReasonAndCounts()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));

        await log.FailAsync(logId, "unexpected end of gzip stream", new FileCounts(120, 3, 2), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, string Error, int RowsRead, int Duplicates, int Rejected, DateTime FinishedAt)>(
            "SELECT status, error, rows_read, duplicates_removed, rows_rejected, finished_at FROM file_processing_log WHERE id = @logId", new { logId });
        Assert.Equal(("failed", "unexpected end of gzip stream", 120, 3, 2, TestData.Noon.AddSeconds(5).UtcDateTime), row);
    }

    [Fact]
    public async Task FailAsync_WithRejectsAndNote_StoresBoth()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);

        await log.FailAsync(logId, "too many rejects", new FileCounts(10, 0, 7, new Dictionary<string, int> { ["bad price"] = 7 }, "stopped early"), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, string Rejects, string Note)>(
            "SELECT status, rejects::text, note FROM file_processing_log WHERE id = @logId", new { logId });
        Assert.Equal(("failed", """{"bad price": 7}""", "stopped early"), row);
    }

    [Fact]
    public async Task FailAsync_NoRejects_StoresNulls()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var log = new PgFileLog(dataSource, time);
        var logId = await log.StartAsync(TestData.Start(), CancellationToken.None);

        await log.FailAsync(logId, "bad xml", new FileCounts(1, 0, 0, new Dictionary<string, int>()), CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string? Rejects, string? Note)>(
            "SELECT rejects::text, note FROM file_processing_log WHERE id = @logId", new { logId });
        Assert.Equal(((string?)null, (string?)null), row);
    }

    [Fact]
    public async Task FailAsync_AlreadyCompletedRow_LeavesItCompleted()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(2)]);
        await using var connection = await dataSource.OpenConnectionAsync();
        var logId = await connection.ExecuteScalarAsync<long>("SELECT id FROM file_processing_log");

        await new PgFileLog(dataSource, time).FailAsync(logId, "late failure", FileCounts.None, CancellationToken.None);

        Assert.Equal("completed", await TestData.LogStatusAsync(dataSource, logId));
    }

    [Fact]
    public async Task SkipAsync_AnyFile_WritesOneSkippedRowWithReasonAndBothTimes()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();

        await new PgFileLog(dataSource, time).SkipAsync([TestData.Start(FileKind.Price, storeId: 4)], "already completed today", CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(string Status, string Error, string FileType, int StoreId, DateTime StartedAt, DateTime FinishedAt)>(
            "SELECT status, error, file_type, store_id, started_at, finished_at FROM file_processing_log");
        Assert.Equal(("skipped", "already completed today", "Price", 4, TestData.Noon.UtcDateTime, TestData.Noon.UtcDateTime), row);
    }

    [Fact]
    public async Task SkipAsync_SeveralFiles_OneRowEachInGivenOrderWithNullsKept()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        var runId = Guid.NewGuid();

        await new PgFileLog(dataSource, time).SkipAsync(
            [
                TestData.Start(FileKind.PriceFull, storeId: 9, runId: runId, fileName: "b"),
                new FileLogStart(runId, "Test Chain", TestData.ChainId, null, "a", null),
                TestData.Start(FileKind.Promo, storeId: 2, runId: runId, fileName: "c"),
            ],
            "done today",
            CancellationToken.None);

        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string FileName, int? StoreId, string? FileType, string Status, string Error, Guid RunId)>(
            "SELECT file_name, store_id, file_type, status, error, run_id FROM file_processing_log ORDER BY id")).ToList();
        Assert.Equal(
            [
                ("b", (int?)9, (string?)"PriceFull", "skipped", "done today", runId),
                ("a", null, null, "skipped", "done today", runId),
                ("c", 2, "Promo", "skipped", "done today", runId),
            ],
            rows);
    }

    [Fact]
    public async Task CompletedOnAsync_SeveralStoresAndKinds_EachCompletedPairOnce()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var time = TestData.Clock();
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(2)], storeId: 3);
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(2)], storeId: 3);
        await TestData.IngestPricesAsync(dataSource, time, [TestData.Prices(2)], storeId: 5);
        var log = new PgFileLog(dataSource, time);
        await log.SkipAsync([TestData.Start(FileKind.Price, storeId: 6)], "placeholder", CancellationToken.None);

        var done = await log.CompletedOnAsync(TestData.ChainId, DateOnly.FromDateTime(TestData.Noon.UtcDateTime), CancellationToken.None);

        Assert.Equal(new HashSet<(int, FileKind)> { (3, FileKind.PriceFull), (5, FileKind.PriceFull) }, done);
    }
}
