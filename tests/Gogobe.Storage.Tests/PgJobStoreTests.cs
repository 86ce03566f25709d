using Dapper;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Supervision;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

/// <summary>The supervisor's durable state machine on real PostgreSQL: guarded transitions, leasing, rescue, abort.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class PgJobStoreTests(PostgresFixture fixture)
{
    private static readonly JobSettings Settings = new(false, 5_000, 0.2, null, null, []);

    /// <summary>The legal task moves, spelled out independently of <see cref="JobTransitions"/>.</summary>
    private static readonly HashSet<(JobState, JobState)> Legal =
    [
        (JobState.Queued, JobState.Running), (JobState.Queued, JobState.Aborted),
        (JobState.Running, JobState.Succeeded), (JobState.Running, JobState.Failed), (JobState.Running, JobState.Aborted),
        (JobState.Running, JobState.Queued), (JobState.Running, JobState.Orphaned),
        (JobState.Orphaned, JobState.Queued), (JobState.Orphaned, JobState.Failed), (JobState.Orphaned, JobState.Aborted),
    ];

    [Fact]
    public async Task TransitionTaskAsync_EveryStatePair_IllegalRefusedLegalApplied()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var states = Enum.GetValues<JobState>();
        var pairs = states.SelectMany(from => states.Select(to => (From: from, To: to))).ToList();
        var run = await SubmitAsync(store, pairs.Count);
        var tasks = await store.ListTasksAsync(run.Id, null, 100, CancellationToken.None);
        var refused = 0;

        foreach (var ((from, to), task) in pairs.Zip(tasks))
        {
            await SetStateAsync(dataSource, task.Id, from);
            if (Legal.Contains((from, to)))
            {
                Assert.True(await store.TransitionTaskAsync(task.Id, from, to, new TransitionDetails("test"), CancellationToken.None), $"{from}->{to}");
                Assert.Equal(to, (await store.GetTaskAsync(task.Id, CancellationToken.None))!.State);
            }
            else
            {
                await Assert.ThrowsAsync<IllegalTransitionException>(
                    () => store.TransitionTaskAsync(task.Id, from, to, new TransitionDetails("test"), CancellationToken.None));
                Assert.Equal(from, (await store.GetTaskAsync(task.Id, CancellationToken.None))!.State);
                refused++;
            }
        }

        // 6 × 6 pairs, 10 legal: 26 refused (every move out of a final state, every self-move, and the rest).
        Assert.Equal(26, refused);
        Assert.All(states.Where(s => s.IsTerminal()), s => Assert.DoesNotContain(Legal, p => p.Item1 == s));
    }

    [Fact]
    public void IsLegalForRun_FinalStates_HaveNoWayOut()
    {
        var states = Enum.GetValues<JobState>();
        foreach (var from in states.Where(s => s.IsTerminal()))
        {
            Assert.All(states, to => Assert.False(JobTransitions.IsLegalForRun(from, to)));
        }

        Assert.Throws<IllegalTransitionException>(() => JobTransitions.EnsureLegalForRun(JobState.Succeeded, JobState.Running));
        Assert.Throws<IllegalTransitionException>(() => JobTransitions.EnsureLegalForRun(JobState.Running, JobState.Orphaned));
        JobTransitions.EnsureLegalForRun(JobState.Running, JobState.Succeeded);
    }

    [Fact]
    public async Task TransitionTaskAsync_TwoRacingFinishes_ExactlyOneWins()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 1);
        var lease = await store.LeaseAsync("w1", ["c00"], CancellationToken.None);
        Assert.NotNull(lease);

        var results = await Task.WhenAll(
            store.TransitionTaskAsync(lease.Task.Id, JobState.Running, JobState.Succeeded, new TransitionDetails("ok", WorkerId: "w1"), CancellationToken.None),
            store.TransitionTaskAsync(lease.Task.Id, JobState.Running, JobState.Failed, new TransitionDetails("boom", WorkerId: "w1"), CancellationToken.None));

        Assert.Single(results, r => r);
        var task = await store.GetTaskAsync(lease.Task.Id, CancellationToken.None);
        Assert.Equal(results[0] ? JobState.Succeeded : JobState.Failed, task!.State);
        var finished = await store.GetRunAsync(run.Id, CancellationToken.None);
        Assert.Equal(results[0] ? JobState.Succeeded : JobState.Failed, finished!.State);
        Assert.NotNull(finished.FinishedAt);
        // A worker that lost the task cannot end it.
        Assert.False(await store.TransitionTaskAsync(lease.Task.Id, JobState.Running, JobState.Succeeded, new TransitionDetails(WorkerId: "w2"), CancellationToken.None));
    }

    [Fact]
    public async Task LeaseAsync_EightConcurrentWorkers_EveryTaskLeasedExactlyOnce()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 40);
        var chains = Enumerable.Range(0, 40).Select(Chain).ToArray();

        var leased = await Task.WhenAll(Enumerable.Range(0, 8).Select(async w =>
        {
            var mine = new List<Guid>();
            while (await store.LeaseAsync($"w{w}", chains, CancellationToken.None) is { } lease)
            {
                mine.Add(lease.Task.Id);
            }

            return mine;
        }));

        var all = leased.SelectMany(l => l).ToList();
        Assert.Equal(40, all.Count);
        Assert.Equal(40, all.Distinct().Count());
        Assert.True(leased.Count(l => l.Count > 0) > 1, "the work should be split between workers");
        Assert.Equal(JobState.Running, (await store.GetRunAsync(run.Id, CancellationToken.None))!.State);
        var tasks = await store.ListTasksAsync(run.Id, JobState.Running, 100, CancellationToken.None);
        Assert.Equal(40, tasks.Count);
        Assert.All(tasks, t => Assert.NotNull(t.HeartbeatAt));
    }

    [Fact]
    public async Task LeaseAsync_UnknownChain_NotLeased()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        await SubmitAsync(store, 1);

        Assert.Null(await store.LeaseAsync("w1", ["some-other-chain"], CancellationToken.None));
        Assert.NotNull(await store.LeaseAsync("w1", ["c00"], CancellationToken.None));
    }

    [Fact]
    public async Task SubmitRunAsync_WhileAnotherIsActive_RefusedUntilItEnds()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var first = await SubmitAsync(store, 1);

        var refused = await Assert.ThrowsAsync<RunAlreadyActiveException>(() => SubmitAsync(store, 1));
        Assert.Equal(first.Id, refused.ActiveRunId);

        Assert.Equal(AbortTarget.Run, await store.RequestAbortAsync(first.Id, CancellationToken.None));
        Assert.Equal(JobState.Aborted, (await store.GetRunAsync(first.Id, CancellationToken.None))!.State);
        var second = await SubmitAsync(store, 1);
        Assert.Equal(second.Id, (await store.ActiveRunAsync(CancellationToken.None))!.Id);
    }

    [Fact]
    public async Task RescueOrphansAsync_StaleHeartbeat_RequeuedWithNextAttemptThenFailedWhenSpent()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 2, maxAttempts: 2);
        var stale = await store.LeaseAsync("dead", ["c00"], CancellationToken.None);
        var fresh = await store.LeaseAsync("alive", ["c01"], CancellationToken.None);
        await AgeHeartbeatAsync(dataSource, stale!.Task.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, await store.RescueOrphansAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        var requeued = await store.GetTaskAsync(stale.Task.Id, CancellationToken.None);
        Assert.Equal(JobState.Queued, requeued!.State);
        Assert.Equal(2, requeued.Attempt);
        Assert.Null(requeued.WorkerId);
        Assert.Contains("heartbeat lost (worker dead)", requeued.Reason, StringComparison.Ordinal);
        Assert.Equal(JobState.Running, (await store.GetTaskAsync(fresh!.Task.Id, CancellationToken.None))!.State);
        // The dead worker's late heartbeat is refused: the task is no longer its.
        Assert.Equal(HeartbeatReply.LeaseLost, await store.HeartbeatAsync(stale.Task.Id, "dead", 50, "files 1/2", CancellationToken.None));

        // Second (last) attempt dies too: FAILED, not requeued.
        var again = await store.LeaseAsync("dead2", ["c00"], CancellationToken.None);
        await AgeHeartbeatAsync(dataSource, again!.Task.Id, TimeSpan.FromSeconds(30));
        Assert.Equal(1, await store.RescueOrphansAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
        var failed = await store.GetTaskAsync(stale.Task.Id, CancellationToken.None);
        Assert.Equal(JobState.Failed, failed!.State);
        Assert.StartsWith("failed after 2 attempts: heartbeat lost", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(JobState.Running, (await store.GetRunAsync(run.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RescueOrphansAsync_DeadWorkersOpenFileRows_ClosedAsFailedOthersUntouched()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 2);
        var dead = await store.LeaseAsync("dead", ["c00"], CancellationToken.None);
        var alive = await store.LeaseAsync("alive", ["c01"], CancellationToken.None);
        var log = new PgFileLog(dataSource, TimeProvider.System);
        var open = await log.StartAsync(new FileLogStart(run.Id, "c00", "c00", 1, "PriceFull-dead.gz", FileKind.PriceFull), CancellationToken.None);
        var other = await log.StartAsync(new FileLogStart(run.Id, "c01", "c01", 1, "PriceFull-alive.gz", FileKind.PriceFull), CancellationToken.None);
        await AgeHeartbeatAsync(dataSource, dead!.Task.Id, TimeSpan.FromSeconds(30));

        Assert.Equal(1, await store.RescueOrphansAsync(TimeSpan.FromSeconds(10), CancellationToken.None));

        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(long Id, string Status, string? Error, bool Finished)>(
            "SELECT id, status, error, finished_at IS NOT NULL FROM file_processing_log ORDER BY id")).ToList();
        Assert.Equal((open, "failed", PgJobStore.WorkerLostReason, true), rows[0]);
        Assert.Equal((other, "processing", (string?)null, false), rows[1]); // its worker is alive
        Assert.Equal(JobState.Running, (await store.GetTaskAsync(alive!.Task.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task RequestAbortAsync_Run_QueuedAbortedAtOnceRunningToldByHeartbeat()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 3);
        var running = await store.LeaseAsync("w1", ["c00"], CancellationToken.None);
        Assert.Equal(HeartbeatReply.Continue, await store.HeartbeatAsync(running!.Task.Id, "w1", 10, "listing", CancellationToken.None));

        Assert.Equal(AbortTarget.Run, await store.RequestAbortAsync(run.Id, CancellationToken.None));

        var tasks = await store.ListTasksAsync(run.Id, null, 10, CancellationToken.None);
        Assert.Equal(2, tasks.Count(t => t.State == JobState.Aborted));
        Assert.Equal(HeartbeatReply.AbortRequested, await store.HeartbeatAsync(running.Task.Id, "w1", 20, "files 1/4", CancellationToken.None));
        Assert.Equal(HeartbeatReply.AbortRequested, await store.CheckAsync(running.Task.Id, "w1", CancellationToken.None));
        Assert.Null(await store.LeaseAsync("w2", ["c01", "c02"], CancellationToken.None));
        Assert.Equal(JobState.Running, (await store.GetRunAsync(run.Id, CancellationToken.None))!.State);

        Assert.True(await store.TransitionTaskAsync(running.Task.Id, JobState.Running, JobState.Aborted, new TransitionDetails("aborted", WorkerId: "w1"), CancellationToken.None));
        var ended = await store.GetRunAsync(run.Id, CancellationToken.None);
        Assert.Equal(JobState.Aborted, ended!.State);
        Assert.Equal(AbortTarget.AlreadyFinished, await store.RequestAbortAsync(run.Id, CancellationToken.None));
        Assert.Equal(AbortTarget.NotFound, await store.RequestAbortAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task TransitionTaskAsync_RetryAfterAbortRequested_EndsAbortedNotQueued()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 1);
        var lease = await store.LeaseAsync("w1", ["c00"], CancellationToken.None);
        Assert.Equal(AbortTarget.Task, await store.RequestChainAbortAsync(run.Id, "c00", CancellationToken.None));

        // The worker had not noticed the abort and asks for a retry: the task must not sit in the queue forever.
        Assert.True(await store.TransitionTaskAsync(lease!.Task.Id, JobState.Running, JobState.Queued,
            new TransitionDetails("attempt 1 failed", WorkerId: "w1", NextAttempt: true), CancellationToken.None));

        Assert.Equal(JobState.Aborted, (await store.GetTaskAsync(lease.Task.Id, CancellationToken.None))!.State);
        Assert.Equal(JobState.Failed, (await store.GetRunAsync(run.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task TransitionTaskAsync_ManyTasksEndingAtOnce_RunFinishedOnce()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        var store = new PgJobStore(dataSource);
        var run = await SubmitAsync(store, 12);
        var chains = Enumerable.Range(0, 12).Select(Chain).ToArray();
        var leases = new List<TaskLease>();
        while (await store.LeaseAsync("w", chains, CancellationToken.None) is { } lease)
        {
            leases.Add(lease);
        }

        var ended = await Task.WhenAll(leases.Select(l =>
            store.TransitionTaskAsync(l.Task.Id, JobState.Running, JobState.Succeeded, new TransitionDetails(WorkerId: "w"), CancellationToken.None)));

        Assert.All(ended, Assert.True);
        var finished = await store.GetRunAsync(run.Id, CancellationToken.None);
        Assert.Equal(JobState.Succeeded, finished!.State);
        Assert.NotNull(finished.FinishedAt);
        Assert.Null(await store.ActiveRunAsync(CancellationToken.None));
    }

    private static string Chain(int index) => $"c{index:D2}";

    private static Task<RunRecord> SubmitAsync(PgJobStore store, int tasks, int maxAttempts = 3) =>
        store.SubmitRunAsync(
            new RunSubmission(Guid.CreateVersion7(), Settings, [.. Enumerable.Range(0, tasks).Select(i => new TaskSpec(Chain(i), $"Chain {i}"))],
                maxAttempts, TimeSpan.FromMinutes(5), "test"),
            CancellationToken.None);

    private static async Task SetStateAsync(NpgsqlDataSource dataSource, Guid taskId, JobState state)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("UPDATE tasks SET state = @state WHERE id = @taskId", new { state = state.ToDb(), taskId });
    }

    private static async Task AgeHeartbeatAsync(NpgsqlDataSource dataSource, Guid taskId, TimeSpan age)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "UPDATE tasks SET heartbeat_at = clock_timestamp() - make_interval(secs => @seconds) WHERE id = @taskId",
            new { seconds = age.TotalSeconds, taskId });
    }
}
