using System.Diagnostics;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary>The worker loop over real PostgreSQL and the portal simulator: abort, timeout, retries, graceful stop.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class SupervisorWorkerTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Production heartbeat and abort-check timings; only the idle poll is shortened to keep the test quick.</summary>
    private static readonly SupervisorOptions Timings = new() { PollInterval = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task RequestChainAbort_ChainWritingAFile_AbortedWithin2sFileRolledBackOtherChainCompletes()
    {
        var slow = new SlowTestChain();
        var other = ScraperRegistry.Discover().Select(["Rami Levy"])[0];
        await using var harness = await SupervisorHarness.StartAsync(postgres, [slow, other], stores: 1, items: 3_000);
        var run = await harness.SubmitAsync();
        harness.StartWorkers(2, Timings);

        // The slow chain's PriceFull (its first price file) is being downloaded and written.
        await SupervisorHarness.UntilAsync(
            () => harness.ScalarAsync(
                "SELECT count(*) FROM file_processing_log WHERE chain_id = @id AND file_type = 'PriceFull' AND status = 'processing'",
                new { id = slow.Chain.Id }),
            n => n == 1, Patience, "the slow chain's PriceFull is in progress");
        await Task.Delay(500);
        var watch = Stopwatch.StartNew();
        Assert.Equal(AbortTarget.Task, await harness.Store.RequestChainAbortAsync(run.Id, slow.Chain.Id, CancellationToken.None));

        var aborted = await SupervisorHarness.UntilAsync(
            async () => (TaskRecord?)await harness.TaskOfAsync(run.Id, slow.Chain.Id), t => t.State.IsTerminal(), Patience, "the aborted task ends");
        var took = watch.Elapsed;
        output.WriteLine($"abort requested -> task ABORTED in {took.TotalMilliseconds:F0} ms");

        Assert.Equal(JobState.Aborted, aborted.State);
        Assert.Equal("aborted", aborted.Reason);
        Assert.True(took <= TimeSpan.FromSeconds(2), $"abort took {took.TotalMilliseconds:F0} ms");
        // The open file rolled back: its log row failed, none of its prices is in the database.
        Assert.Equal(1, await harness.ScalarAsync(
            "SELECT count(*) FROM file_processing_log WHERE chain_id = @id AND file_type = 'PriceFull' AND status = 'failed' AND error LIKE 'cancelled%'",
            new { id = slow.Chain.Id }));
        Assert.Equal(0, await harness.ScalarAsync(
            "SELECT count(*) FROM prices p JOIN stores s ON s.id = p.store_id WHERE s.chain_id = @id", new { id = slow.Chain.Id }));

        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);
        var rest = await harness.TaskOfAsync(run.Id, other.Chain.Id);
        Assert.Equal(JobState.Succeeded, rest.State);
        Assert.Equal(100, rest.Progress);
        Assert.Equal(3_000, await harness.ScalarAsync(
            "SELECT count(*) FROM prices p JOIN stores s ON s.id = p.store_id WHERE s.chain_id = @id", new { id = other.Chain.Id }));
        // A run with an aborted chain did not do all its work.
        Assert.Equal(JobState.Failed, ended.State);
        Assert.Contains("Test Slow Market: ABORTED", ended.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_HangingChain_FailedByItsTimeout()
    {
        var hanging = new HangingTestChain();
        await using var harness = await SupervisorHarness.StartAsync(postgres, [hanging]);
        var run = await harness.SubmitAsync(taskTimeout: TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        harness.StartWorkers(1, Timings);

        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);

        var task = await harness.TaskOfAsync(run.Id, hanging.Chain.Id);
        Assert.Equal(JobState.Failed, task.State);
        Assert.Equal("timeout", task.Reason);
        Assert.Equal(1, task.Attempt);
        Assert.Equal(JobState.Failed, ended.State);
        output.WriteLine($"1 s task timeout -> run FAILED after {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Worker_AlwaysThrowingChain_FailedAfterMaxAttemptsWithTheException()
    {
        var throwing = new ThrowingTestChain();
        await using var harness = await SupervisorHarness.StartAsync(postgres, [throwing]);
        var run = await harness.SubmitAsync(maxAttempts: 3);
        harness.StartWorkers(1, Timings);

        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);

        var task = await harness.TaskOfAsync(run.Id, throwing.Chain.Id);
        Assert.Equal(JobState.Failed, task.State);
        Assert.Equal(3, task.Attempt);
        Assert.Equal($"failed after 3 attempts: InvalidOperationException: {ThrowingTestChain.Message}", task.Reason);
        Assert.Equal(JobState.Failed, ended.State);
        // Each attempt left its failed (listing) row: three attempts, three rows.
        Assert.Equal(3, await harness.ScalarAsync(
            "SELECT count(*) FROM file_processing_log WHERE chain_id = @id AND file_name = '(listing)' AND status = 'failed'",
            new { id = throwing.Chain.Id }));
    }

    [Fact]
    public async Task Worker_GracefulStopMidFile_TaskRequeuedSameAttemptAndFinishedByAnotherWorker()
    {
        var slow = new SlowTestChain();
        await using var harness = await SupervisorHarness.StartAsync(postgres, [slow], stores: 1, items: 300);
        var run = await harness.SubmitAsync();
        harness.StartWorkers(1, Timings);
        await SupervisorHarness.UntilAsync(
            () => harness.ScalarAsync("SELECT count(*) FROM file_processing_log WHERE status = 'processing' AND file_type = 'PriceFull'"),
            n => n == 1, Patience, "a PriceFull is in progress");

        await harness.StopWorkersAsync();

        var requeued = await harness.TaskOfAsync(run.Id, slow.Chain.Id);
        Assert.Equal(JobState.Queued, requeued.State);
        Assert.Equal(1, requeued.Attempt);
        Assert.Equal("worker stopped; requeued", requeued.Reason);
        Assert.Equal(0, await harness.ScalarAsync("SELECT count(*) FROM prices"));

        harness.StartWorkers(1, Timings);
        var ended = await harness.UntilRunEndsAsync(run.Id, Patience);
        Assert.Equal(JobState.Succeeded, ended.State);
        Assert.Equal(300, await harness.ScalarAsync("SELECT count(*) FROM prices"));
    }
}
