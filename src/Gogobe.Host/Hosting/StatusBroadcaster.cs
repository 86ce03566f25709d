using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Threading.Channels;
using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;
using Gogobe.Host.Configuration;
using Gogobe.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gogobe.Host.Hosting;

/// <summary>
/// The live dashboard's one producer: it polls PostgreSQL on a fixed tick (metrics and the log every MetricsSeconds, the
/// fleet every FleetSeconds) and fans each event out to every connected client through a small bounded channel per
/// client (DropOldest: a slow client skips frames, it never holds up the others). Database work is per tick, not per
/// viewer. Log events are kept in a ring of the last 1,000 so a reconnecting client resumes from its Last-Event-ID.
/// </summary>
internal sealed partial class StatusBroadcaster(
    AppDatabase database,
    ScraperRegistry registry,
    IOptions<DashboardOptions> options,
    IOptions<RunsOptions> runs,
    TimeProvider time,
    ILogger<StatusBroadcaster> logger) : StoppableBackgroundService
{
    public const int LogCapacity = 1_000;
    private const int ClientCapacity = 64;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly PgDashboardQueries _queries = new(database.DataSource);
    private readonly HostMetrics _host = new();
    private readonly Lock _gate = new();
    private readonly Queue<SseItem<string>> _logs = new();
    private readonly HashSet<Channel<SseItem<string>>> _clients = [];
    private readonly Dictionary<long, string> _processing = [];
    private readonly DateTimeOffset _serverStart = time.GetUtcNow();
    private long _nextId;
    private long _lastLogId = -1;
    private SseItem<string>? _fleet;
    private SseItem<string>? _metrics;
    private SseItem<string>? _run;
    private SseItem<string> _db = Item("db", new DbEvent(true, null), 0);
    private string? _runKey;
    private (long RowsChanged, long Products, DateTimeOffset At, Guid? RunId)? _lastCounters;
    private DailyActivity _daily = new(0, 0, 0, 0);
    private FleetEvent? _fleetData;
    private MetricsEvent? _metricsData;
    private RunEvent _runData = new(null, "None", null);
    private DbEvent _dbData = new(true, null);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _activeSources;

    /// <summary>Completes after the producer's first tick (successful or not), so the first readers get a full picture.</summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(TimeSpan.FromSeconds(5), time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A slow first tick: answer with what there is rather than hold the client.
        }
    }

    /// <summary>The latest of each event's data, for <c>GET /api/status</c> (null before the first tick).</summary>
    public (FleetEvent? Fleet, MetricsEvent? Metrics, DbEvent Db, RunEvent Run) Snapshot()
    {
        lock (_gate)
        {
            return (_fleetData, _metricsData, _dbData, _runData);
        }
    }

    /// <summary>
    /// Registers a client: the logged events after <paramref name="lastEventId"/> still in the ring, then the current
    /// fleet, metrics, db and run (with fresh ids, so ids stay increasing), then everything published from now on.
    /// </summary>
    public async IAsyncEnumerable<SseItem<string>> SubscribeAsync(long? lastEventId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<SseItem<string>>(new BoundedChannelOptions(ClientCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        });
        await WaitReadyAsync(cancellationToken).ConfigureAwait(false);
        List<SseItem<string>> first;
        lock (_gate)
        {
            first = lastEventId is { } after ? [.. _logs.Where(l => long.Parse(l.EventId!, CultureInfo.InvariantCulture) > after)] : [];
            foreach (var current in new[] { _fleet, _metrics, (SseItem<string>?)_db, _run })
            {
                if (current is { } item)
                {
                    first.Add(Restamp(item, ++_nextId));
                }
            }

            _clients.Add(channel);
        }

        Core.Diagnostics.GogobeTelemetry.SseClients.Add(1);
        try
        {
            var retry = true;
            foreach (var item in first)
            {
                // The first thing a client reads tells it how long to wait before reconnecting.
                yield return retry ? item with { ReconnectionInterval = TimeSpan.FromSeconds(3) } : item;
                retry = false;
            }

            while (await channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (channel.Reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _clients.Remove(channel);
            }

            Core.Diagnostics.GogobeTelemetry.SseClients.Add(-1);
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var metricsEvery = TimeSpan.FromSeconds(options.Value.MetricsSeconds);
        var fleetEvery = TimeSpan.FromSeconds(options.Value.FleetSeconds);
        var backoff = TimeSpan.FromSeconds(1);
        var nextFleet = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = metricsEvery;
            try
            {
                var now = time.GetUtcNow();
                var fleetDue = now >= nextFleet;
                await TickAsync(now, fleetDue, stoppingToken).ConfigureAwait(false);
                if (fleetDue)
                {
                    nextFleet = now + fleetEvery;
                }

                SetDb(true, null);
                backoff = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database (or a query) failed: say so on the stream, keep the streams open and retry with backoff.
                LogTickFailed(ex.Message);
                SetDb(false, ex.Message);
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                nextFleet = DateTimeOffset.MinValue;
            }

            _ready.TrySetResult();
            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task TickAsync(DateTimeOffset now, bool fleetDue, CancellationToken cancellationToken)
    {
        if (_lastLogId < 0)
        {
            // The live log starts now: history is in the file log, not replayed to every viewer.
            _lastLogId = await _queries.MaxLogIdAsync(cancellationToken).ConfigureAwait(false);
        }

        // The run's state is read before the log and published after it: a run seen finished here had written all its
        // rows already, so a client sees every log line of a run before the run's "Finished".
        var newest = await _queries.NewestRunAsync(cancellationToken).ConfigureAwait(false);
        var run = await RunOfAsync(newest, cancellationToken).ConfigureAwait(false);
        await PublishLogAsync(cancellationToken).ConfigureAwait(false);
        PublishRun(run);
        if (fleetDue || _fleetData is null)
        {
            _daily = await _queries.ActivitySinceAsync(now.AddDays(-1), cancellationToken).ConfigureAwait(false);
            await PublishFleetAsync(now, newest, cancellationToken).ConfigureAwait(false);
        }

        await PublishMetricsAsync(now, newest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The newest run's state comes from the job tables (any process may run it); a run with no job row (written by an
    /// older version) is running while it has files in progress.
    /// </summary>
    private async Task<RunEvent> RunOfAsync(NewestRun? newest, CancellationToken cancellationToken)
    {
        if (newest is null)
        {
            return new RunEvent(null, "None", null);
        }

        var job = await database.Jobs.GetRunAsync(newest.RunId, cancellationToken).ConfigureAwait(false);
        var running = job is { } j ? !j.State.IsTerminal() : newest.Processing;
        return new RunEvent(newest.RunId.ToString(), running ? "Running" : "Finished", job?.StartedAt ?? job?.CreatedAt ?? newest.StartedAt);
    }

    private void PublishRun(RunEvent data)
    {
        var key = $"{data.RunId}/{data.State}";
        if (key != _runKey)
        {
            _runKey = key;
            Publish("run", data, item => (_run, _runData) = (item, data));
        }
    }

    private async Task PublishLogAsync(CancellationToken cancellationToken)
    {
        var rows = await _queries.LogChangesAsync(_lastLogId, _processing.Keys, cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            _lastLogId = Math.Max(_lastLogId, row.Id);
            var known = _processing.Remove(row.Id);
            if (row.Status == FileStatus.Processing)
            {
                if (!known)
                {
                    PublishLog(row.StartedAt, row.Source, "info", $"started {row.FileName}");
                }

                _processing[row.Id] = row.FileName;
                continue;
            }

            var at = row.FinishedAt ?? row.StartedAt;
            var line = row.Status switch
            {
                FileStatus.Failed => ("error", $"failed {row.FileName}: {row.Error}"),
                FileStatus.Skipped => ("warning", $"skipped {row.FileName}: {row.Error}"),
                _ => ("info", string.Create(CultureInfo.InvariantCulture, $"completed {row.FileName}: {row.RowsRead} rows read, {row.RowsChanged} changed")),
            };
            PublishLog(at, row.Source, line.Item1, line.Item2);
        }
    }

    private void PublishLog(DateTimeOffset at, string chain, string level, string message)
    {
        var data = new LogEvent(at, chain, level, message);
        Publish("log", data, item =>
        {
            _logs.Enqueue(item);
            if (_logs.Count > LogCapacity)
            {
                _logs.Dequeue();
            }
        });
    }

    private async Task PublishFleetAsync(DateTimeOffset now, NewestRun? newest, CancellationToken cancellationToken)
    {
        // Per chain id the newest of its sources (a chain publishing under several sources is one chip).
        var latest = (await database.Status.LatestPerChainAsync(cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.ChainId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.StartedAt)!, StringComparer.Ordinal);
        var totals = newest is null
            ? new Dictionary<string, ChainRunTotals>(StringComparer.Ordinal)
            : (await database.Status.RunTotalsAsync(newest.RunId, cancellationToken).ConfigureAwait(false)).Chains
                .GroupBy(c => c.ChainId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var chains = registry.Scrapers.Select(s =>
        {
            latest.TryGetValue(s.Chain.Id, out var last);
            totals.TryGetValue(s.Chain.Id, out var session);
            var inSession = last is not null && newest is not null && last.RunId == newest.RunId;
            var t = session?.Totals;
            var state = !inSession || t is null ? "Waiting"
                : t.Processing > 0 ? "Running"
                : t.Failed > 0 ? "Error"
                : "Done";
            return new ChainView(
                s.Chain.Name, s.Chain.Id, s.Portal.Family, state, inSession ? last!.FileName : null, inSession ? last!.Error : null,
                inSession ? last!.StartedAt : null, inSession && t?.Processing == 0 ? last!.FinishedAt : null,
                new FileCountsView(t?.Completed ?? 0, t?.Failed ?? 0, t?.Skipped ?? 0, t?.Processing ?? 0), t?.RowsRead ?? 0, t?.RowsChanged ?? 0);
        }).ToList();
        var data = new FleetEvent(now, chains);
        // Registered chains seen in the last week: "active" on the fleet tile.
        _activeSources = latest.Values.Count(l => l.StartedAt >= now.AddDays(-7));
        Publish("fleet", data, item => (_fleet, _fleetData) = (item, data));
    }


    private async Task PublishMetricsAsync(DateTimeOffset now, NewestRun? newest, CancellationToken cancellationToken)
    {
        var counters = await _queries.SessionCountersAsync(newest?.RunId, cancellationToken).ConfigureAwait(false);
        double pricesRate = 0, skusRate = 0;
        if (_lastCounters is { } last && last.RunId == newest?.RunId && now > last.At)
        {
            var seconds = (now - last.At).TotalSeconds;
            pricesRate = Math.Max(0, counters.RowsChanged - last.RowsChanged) / seconds;
            skusRate = Math.Max(0, counters.Products - last.Products) / seconds;
        }

        _lastCounters = (counters.RowsChanged, counters.Products, now, newest?.RunId);
        var fleet = _fleetData?.Chains ?? [];
        var waiting = fleet.Count(c => c.State == "Waiting");
        var running = fleet.Count(c => c.State == "Running");
        var workers = Math.Max(1, runs.Value.Parallelism);
        var sessionRunning = _runData.State == "Running";
        double? eta = sessionRunning && counters.AverageChainSeconds is { } avg ? (waiting + (running / 2.0)) * avg / workers : null;
        var storesKnown = _daily.StoresKnown;
        var files = _daily.Completed + _daily.Failed;
        var host = _host.Read();
        var data = new MetricsEvent(
            now, Math.Round(pricesRate, 1), Math.Round(skusRate, 1), counters.RowsChanged, counters.Products,
            new ActivityView(_activeSources, registry.Scrapers.Count),
            new CoverageView(_daily.StoresCovered, storesKnown, storesKnown == 0 ? 0 : Math.Round(100.0 * _daily.StoresCovered / storesKnown, 1)),
            new ReliabilityView(_daily.Completed, _daily.Failed, files == 0 ? 100 : Math.Round(100.0 * _daily.Completed / files, 1)),
            host.CpuPercent, host.RamPercent, host.RamUsedMb, host.RamTotalMb,
            new EtaView(eta is { } e ? Math.Round(e, 1) : null, waiting, running, workers),
            new SessionView(
                Math.Round((now - (newest?.StartedAt ?? _serverStart)).TotalSeconds, 1),
                counters.AverageChainSeconds is { } a ? Math.Round(a, 1) : null));
        Publish("metrics", data, item => (_metrics, _metricsData) = (item, data));
    }

    private void SetDb(bool ok, string? error)
    {
        lock (_gate)
        {
            // Only a change of reachability is news; a different error while down is not.
            if (_dbData.Ok == ok)
            {
                return;
            }
        }

        var data = new DbEvent(ok, error);
        Publish("db", data, item => (_db, _dbData) = (item, data));
    }

    /// <summary>Numbers the event, lets <paramref name="keep"/> remember it and writes it to every client, all under one lock so ids reach each client in order.</summary>
    private void Publish<T>(string type, T data, Action<SseItem<string>> keep)
    {
        lock (_gate)
        {
            var item = Item(type, data, ++_nextId);
            keep(item);
            foreach (var client in _clients)
            {
                // Never blocks: the channel drops its oldest item when full.
                client.Writer.TryWrite(item);
            }
        }
    }

    private static SseItem<string> Item<T>(string type, T data, long id) =>
        new(JsonSerializer.Serialize(data, Json), type) { EventId = id.ToString(CultureInfo.InvariantCulture) };

    private static SseItem<string> Restamp(SseItem<string> item, long id) =>
        item with { EventId = id.ToString(CultureInfo.InvariantCulture) };

    [LoggerMessage(LogLevel.Warning, "Dashboard stream: database poll failed: {Reason}")]
    private partial void LogTickFailed(string reason);
}
