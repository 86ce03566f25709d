using Dapper;
using Gogobe.Core.Supervision;
using Npgsql;
using static Gogobe.Storage.PgJobRows;

namespace Gogobe.Storage;

/// <summary>
/// <see cref="IJobStore"/> on the <c>runs</c>, <c>tasks</c> and <c>workers</c> tables. Every change is guarded by the
/// expected state in its WHERE clause (UPDATE ... WHERE state = expected RETURNING), so of two racing processes exactly
/// one wins and the other is told so. Times come from the database clock (<c>clock_timestamp()</c>): heartbeats are
/// written by one machine and judged stale by another, and only the shared server's clock is the same for both.
/// </summary>
public sealed class PgJobStore(NpgsqlDataSource dataSource) : IJobStore
{
    private const string UniqueViolation = "23505";

    public async Task<RunRecord> SubmitRunAsync(RunSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        ArgumentOutOfRangeException.ThrowIfLessThan(submission.MaxAttempts, 1, nameof(submission));
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO runs (id, state, settings, submitted_by, created_at)
                        VALUES (@RunId, 'QUEUED', @settings::jsonb, @SubmittedBy, clock_timestamp())
                        """,
                        new { submission.RunId, settings = submission.Settings.ToJson(), submission.SubmittedBy },
                        transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }
                catch (PostgresException ex) when (ex.SqlState == UniqueViolation && ex.ConstraintName == "runs_one_active_idx")
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    var active = await ActiveRunAsync(cancellationToken).ConfigureAwait(false);
                    throw new RunAlreadyActiveException(active?.Id ?? Guid.Empty);
                }

                var timeout = (int)Math.Ceiling(submission.TaskTimeout.TotalSeconds);
                foreach (var (spec, index) in submission.Tasks.Select((t, i) => (t, i)))
                {
                    // created_at steps by a microsecond per task so leasing takes them in submission order.
                    await connection.ExecuteAsync(new CommandDefinition(
                        """
                        INSERT INTO tasks (id, run_id, chain_id, chain_name, state, max_attempts, timeout_seconds, created_at)
                        VALUES (@id, @RunId, @ChainId, @ChainName, 'QUEUED', @MaxAttempts, @timeout, clock_timestamp() + make_interval(secs => @index / 1e6))
                        """,
                        new { id = Guid.CreateVersion7(), submission.RunId, spec.ChainId, spec.ChainName, submission.MaxAttempts, timeout, index },
                        transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return await GetRunAsync(submission.RunId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Run {submission.RunId} vanished after its insert.");
    }

    public async Task<RunRecord?> GetRunAsync(Guid runId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
                $"SELECT {RunColumns} FROM runs WHERE id = @runId", new { runId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public async Task<RunRecord?> ActiveRunAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
                $"SELECT {RunColumns} FROM runs WHERE state IN ('QUEUED', 'RUNNING') LIMIT 1", cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(JobState? state, int limit, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
                $"SELECT {RunColumns} FROM runs WHERE (@state::text IS NULL OR state = @state) ORDER BY created_at DESC LIMIT @limit",
                new { state = state?.ToDb(), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => r.ToRecord())];
        }
    }

    public async Task<TaskRecord?> GetTaskAsync(Guid taskId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
                $"SELECT {TaskColumns} FROM tasks WHERE id = @taskId", new { taskId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return row?.ToRecord();
        }
    }

    public async Task<IReadOnlyList<TaskRecord>> ListTasksAsync(Guid? runId, JobState? state, int limit, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<TaskRow>(new CommandDefinition(
                $"""
                SELECT {TaskColumns} FROM tasks
                WHERE (@runId::uuid IS NULL OR run_id = @runId) AND (@state::text IS NULL OR state = @state)
                ORDER BY created_at DESC, id LIMIT @limit
                """,
                new { runId, state = state?.ToDb(), limit }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => r.ToRecord())];
        }
    }

    public async Task<TaskLease?> LeaseAsync(string workerId, IReadOnlyCollection<string> chainIds, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);
        ArgumentNullException.ThrowIfNull(chainIds);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // SKIP LOCKED: a task another worker is leasing right now is passed over, not waited for, so any number
                // of workers take distinct tasks without blocking each other.
                var row = await connection.QuerySingleOrDefaultAsync<TaskRow>(new CommandDefinition(
                    $"""
                    WITH next AS (
                        SELECT id FROM tasks
                        WHERE state = 'QUEUED' AND NOT abort_requested AND chain_id = ANY(@chains)
                        ORDER BY created_at, id
                        LIMIT 1
                        FOR UPDATE SKIP LOCKED)
                    UPDATE tasks t
                    SET state = 'RUNNING', worker_id = @workerId, heartbeat_at = clock_timestamp(), started_at = clock_timestamp(),
                        progress = 0, phase = 'starting'
                    FROM next
                    WHERE t.id = next.id AND t.state = 'QUEUED'
                    RETURNING {string.Join(", ", TaskColumns.Split(',').Select(c => "t." + c.Trim()))}
                    """,
                    new { workerId, chains = chainIds.ToArray() }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                if (row is null)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return null;
                }

                var settings = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
                    """
                    UPDATE runs SET state = 'RUNNING', started_at = clock_timestamp() WHERE id = @Run_Id AND state = 'QUEUED';
                    SELECT settings::text FROM runs WHERE id = @Run_Id;
                    """,
                    new { row.Run_Id }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new TaskLease(row.ToRecord(), JobSettings.FromJson(settings!));
            }
        }
    }

    public async Task<HeartbeatReply> HeartbeatAsync(Guid taskId, string workerId, int progress, string phase, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var abort = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
                """
                UPDATE tasks SET heartbeat_at = clock_timestamp(), progress = @progress, phase = @phase
                WHERE id = @taskId AND state = 'RUNNING' AND worker_id = @workerId
                RETURNING abort_requested
                """,
                new { taskId, workerId, progress = (short)Math.Clamp(progress, 0, 100), phase }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return Reply(abort);
        }
    }

    public async Task<HeartbeatReply> CheckAsync(Guid taskId, string workerId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var abort = await connection.QuerySingleOrDefaultAsync<bool?>(new CommandDefinition(
                "SELECT abort_requested FROM tasks WHERE id = @taskId AND state = 'RUNNING' AND worker_id = @workerId",
                new { taskId, workerId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return Reply(abort);
        }
    }

    public async Task<bool> TransitionTaskAsync(Guid taskId, JobState expected, JobState target, TransitionDetails details, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(details);
        JobTransitions.EnsureLegalForTask(expected, target);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var moved = await TransitionAsync(connection, transaction, taskId, expected, target, details, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return moved;
            }
        }
    }

    /// <summary>What a file row left open by a lost worker says once closed.</summary>
    public const string WorkerLostReason = "worker lost; redone by the next attempt";

    public async Task<int> RescueOrphansAsync(TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One guarded statement: of several rescuers, each stale task is orphaned by exactly one.
            var orphaned = await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE tasks SET state = 'ORPHANED', reason = 'heartbeat lost (worker ' || coalesce(worker_id, '?') || ')'
                WHERE state = 'RUNNING' AND heartbeat_at < clock_timestamp() - make_interval(secs => @seconds)
                """,
                new { seconds = staleAfter.TotalSeconds }, cancellationToken: cancellationToken)).ConfigureAwait(false);

            // Then every orphan (also those a rescuer that died half-way left behind) is requeued, failed or aborted.
            var orphans = await connection.QueryAsync<(Guid Id, Guid RunId, string ChainId, int Attempt, int MaxAttempts, bool Abort, string? Reason)>(
                new CommandDefinition(
                    "SELECT id, run_id, chain_id, attempt, max_attempts, abort_requested, reason FROM tasks WHERE state = 'ORPHANED'",
                    cancellationToken: cancellationToken)).ConfigureAwait(false);
            foreach (var orphan in orphans)
            {
                // The dead worker's open file rows: nobody will finish them, and the fleet must not show them running.
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE file_processing_log SET status = 'failed', error = @reason, finished_at = clock_timestamp()
                    WHERE run_id = @RunId AND chain_id = @ChainId AND status = 'processing'
                    """,
                    new { orphan.RunId, orphan.ChainId, reason = WorkerLostReason }, cancellationToken: cancellationToken)).ConfigureAwait(false);

                var (target, details) = orphan switch
                {
                    { Abort: true } => (JobState.Aborted, new TransitionDetails("aborted (its worker was lost)")),
                    _ when orphan.Attempt < orphan.MaxAttempts => (JobState.Queued, new TransitionDetails($"requeued: {orphan.Reason}", NextAttempt: true)),
                    _ => (JobState.Failed, new TransitionDetails($"failed after {orphan.Attempt} attempts: {orphan.Reason}")),
                };
                await TransitionTaskAsync(orphan.Id, JobState.Orphaned, target, details, cancellationToken).ConfigureAwait(false);
            }

            return orphaned;
        }
    }

    public async Task<AbortTarget> RequestAbortAsync(Guid id, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var runState = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT state FROM runs WHERE id = @id", new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            if (runState is not null)
            {
                if (JobStates.Parse(runState).IsTerminal())
                {
                    return AbortTarget.AlreadyFinished;
                }

                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE runs SET abort_requested = true WHERE id = @id;
                    UPDATE tasks SET abort_requested = true WHERE run_id = @id AND state IN ('QUEUED', 'RUNNING', 'ORPHANED');
                    """,
                    new { id }, cancellationToken: cancellationToken)).ConfigureAwait(false);
                await AbortQueuedAsync(connection, id, cancellationToken).ConfigureAwait(false);
                return AbortTarget.Run;
            }

            return await AbortTaskAsync(connection, "id = @id", new { id }, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<AbortTarget> RequestChainAbortAsync(Guid runId, string chainId, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await AbortTaskAsync(connection, "run_id = @runId AND chain_id = @chainId", new { runId, chainId }, cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public async Task WorkerHeartbeatAsync(string workerId, string host, int pid, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO workers (id, host, pid, started_at, heartbeat_at) VALUES (@workerId, @host, @pid, clock_timestamp(), clock_timestamp())
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at
                """,
                new { workerId, host, pid }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<WorkerRecord>> ListWorkersAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var rows = await connection.QueryAsync<(string Id, string Host, int Pid, DateTime StartedAt, DateTime HeartbeatAt, double Age)>(new CommandDefinition(
                """
                SELECT id, host, pid, started_at, heartbeat_at, extract(epoch FROM clock_timestamp() - heartbeat_at)::float8
                FROM workers WHERE heartbeat_at >= clock_timestamp() - make_interval(secs => @seconds)
                ORDER BY heartbeat_at DESC
                """,
                new { seconds = within.TotalSeconds }, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return [.. rows.Select(r => new WorkerRecord(r.Id, r.Host, r.Pid, Utc(r.StartedAt), Utc(r.HeartbeatAt), TimeSpan.FromSeconds(r.Age)))];
        }
    }

    /// <summary>
    /// The guarded move itself, inside the caller's transaction. The run row is locked first: tasks of one run that end at
    /// the same moment take turns, so the last one sees all the others ended and finishes the run, exactly once.
    /// </summary>
    private static async Task<bool> TransitionAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Guid taskId, JobState expected, JobState target, TransitionDetails details,
        CancellationToken cancellationToken)
    {
        var runId = await connection.ExecuteScalarAsync<Guid?>(new CommandDefinition(
            "SELECT r.id FROM tasks t JOIN runs r ON r.id = t.run_id WHERE t.id = @taskId FOR UPDATE OF r",
            new { taskId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (runId is null)
        {
            return false;
        }

        var requeue = target == JobState.Queued;
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE tasks
            SET state = @target,
                reason = coalesce(@reason, reason),
                result = coalesce(@result::jsonb, result),
                attempt = attempt + CASE WHEN @next THEN 1 ELSE 0 END,
                worker_id = CASE WHEN @requeue THEN NULL ELSE worker_id END,
                heartbeat_at = CASE WHEN @requeue THEN NULL ELSE heartbeat_at END,
                progress = CASE WHEN @requeue THEN 0 WHEN @terminal AND @target = 'SUCCEEDED' THEN 100 ELSE progress END,
                phase = CASE WHEN @requeue THEN 'queued' WHEN @terminal THEN lower(@target) ELSE phase END,
                started_at = CASE WHEN @requeue THEN NULL ELSE started_at END,
                finished_at = CASE WHEN @terminal THEN clock_timestamp() ELSE finished_at END
            WHERE id = @taskId AND state = @expected AND (@workerId::text IS NULL OR worker_id = @workerId)
            """,
            new
            {
                taskId,
                expected = expected.ToDb(),
                target = target.ToDb(),
                details.Reason,
                details.Result,
                next = details.NextAttempt,
                requeue,
                terminal = target.IsTerminal(),
                details.WorkerId,
            },
            transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (moved == 1 && requeue)
        {
            // A task requeued after its run or itself was asked to abort would never be leased again: end it now.
            moved += await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE tasks SET state = 'ABORTED', reason = 'aborted before it was retried', phase = 'aborted', finished_at = clock_timestamp()
                WHERE id = @taskId AND state = 'QUEUED' AND abort_requested
                """,
                new { taskId }, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        if (moved == 2 || (moved == 1 && target.IsTerminal()))
        {
            await FinishRunIfDoneAsync(connection, transaction, runId.Value, cancellationToken).ConfigureAwait(false);
        }

        return moved >= 1;
    }

    /// <summary>
    /// The run's state derives from its tasks: once all ended, ABORTED if the operator aborted the run, FAILED if any
    /// task failed or was aborted, else SUCCEEDED. Guarded by the run's active states, so it is finished once.
    /// </summary>
    private static Task<int> FinishRunIfDoneAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid runId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE runs r
            SET state = CASE
                    WHEN r.abort_requested THEN 'ABORTED'
                    WHEN EXISTS (SELECT 1 FROM tasks t WHERE t.run_id = r.id AND t.state IN ('FAILED', 'ABORTED')) THEN 'FAILED'
                    ELSE 'SUCCEEDED' END,
                reason = (SELECT string_agg(t.chain_name || ': ' || t.state || coalesce(' (' || t.reason || ')', ''), '; ' ORDER BY t.chain_name)
                          FROM tasks t WHERE t.run_id = r.id AND t.state IN ('FAILED', 'ABORTED')),
                started_at = coalesce(r.started_at, clock_timestamp()),
                finished_at = clock_timestamp()
            WHERE r.id = @runId AND r.state IN ('QUEUED', 'RUNNING')
              AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.run_id = r.id AND t.state NOT IN ('SUCCEEDED', 'FAILED', 'ABORTED'))
            """,
            new { runId }, transaction, cancellationToken: cancellationToken));

    /// <summary>Queued tasks of an aborting run never start: they end ABORTED now, each through the guarded move.</summary>
    private static async Task AbortQueuedAsync(NpgsqlConnection connection, Guid runId, CancellationToken cancellationToken)
    {
        var queued = await connection.QueryAsync<Guid>(new CommandDefinition(
            "SELECT id FROM tasks WHERE run_id = @runId AND state = 'QUEUED'", new { runId }, cancellationToken: cancellationToken)).ConfigureAwait(false);
        foreach (var taskId in queued)
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await TransitionAsync(connection, transaction, taskId, JobState.Queued, JobState.Aborted, new TransitionDetails("aborted before it started"),
                    cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<AbortTarget> AbortTaskAsync(NpgsqlConnection connection, string where, object parameters, CancellationToken cancellationToken)
    {
        var task = await connection.QuerySingleOrDefaultAsync<(Guid Id, string State)?>(new CommandDefinition(
            $"UPDATE tasks SET abort_requested = true WHERE {where} AND state IN ('QUEUED', 'RUNNING', 'ORPHANED') RETURNING id, state",
            parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (task is not { } found)
        {
            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"SELECT EXISTS (SELECT 1 FROM tasks WHERE {where})", parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return exists ? AbortTarget.AlreadyFinished : AbortTarget.NotFound;
        }

        if (found.State == JobState.Queued.ToDb())
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await TransitionAsync(connection, transaction, found.Id, JobState.Queued, JobState.Aborted, new TransitionDetails("aborted before it started"),
                    cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return AbortTarget.Task;
    }

    private static HeartbeatReply Reply(bool? abortRequested) => abortRequested switch
    {
        null => HeartbeatReply.LeaseLost,
        true => HeartbeatReply.AbortRequested,
        false => HeartbeatReply.Continue,
    };

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
