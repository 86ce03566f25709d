using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gogobe.Core.Diagnostics;

namespace Gogobe.Host.Bench;

/// <summary>
/// Sums the pipeline's own spans (download, parse, resolve, copy, upsert, write) and the download-wait histogram while a
/// scenario runs, to split its time by stage. The sums are thread-seconds: parse and write overlap (they are
/// pipelined) and several files run at once, so the split says where the work goes, not a timeline.
/// </summary>
internal sealed class StageClock : IDisposable
{
    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;
    private long _downloadWaitMicros;

    public StageClock()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GogobeTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                _ticks.AddOrUpdate(activity.OperationName, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks);

                // The writer's copy and resolve spans also run inside "write" (a file's completion): kept apart so no
                // thread-second is counted twice.
                if (activity.Parent?.OperationName == "write")
                {
                    _ticks.AddOrUpdate("write/" + activity.OperationName, activity.Duration.Ticks, (_, sum) => sum + activity.Duration.Ticks);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, GogobeTelemetry.DownloadWait))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<double>((_, seconds, _, _) => Interlocked.Add(ref _downloadWaitMicros, (long)(seconds * 1e6)));
        _meters.Start();
    }

    public void Reset()
    {
        _ticks.Clear();
        Interlocked.Exchange(ref _downloadWaitMicros, 0);
    }

    /// <summary>The split so far: download (request + waiting on the body), parse, resolve (stores, products), write (COPY, upsert, log, commit).</summary>
    public StageSplit Split()
    {
        double Seconds(string name) => TimeSpan.FromTicks(_ticks.GetValueOrDefault(name)).TotalSeconds;
        var wait = Interlocked.Read(ref _downloadWaitMicros) / 1e6;
        var resolve = Seconds("resolve");
        return new StageSplit(
            Download: Seconds("download") + wait,
            Parse: Math.Max(0, Seconds("parse") - wait),
            Resolve: resolve,
            Write: Seconds("copy") - Seconds("write/copy") + Math.Max(0, Seconds("write") - Seconds("write/resolve")),
            Copy: Seconds("copy"),
            Upsert: Seconds("upsert"));
    }

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}

/// <summary>Thread-seconds per stage and their shares; <paramref name="Copy"/> and <paramref name="Upsert"/> are the main parts of <paramref name="Write"/>.</summary>
internal sealed record StageSplit(double Download, double Parse, double Resolve, double Write, double Copy, double Upsert)
{
    public double Total => Download + Parse + Resolve + Write;

    public string Shares()
    {
        var total = Math.Max(Total, 1e-9);
        return FormattableString.Invariant(
            $"download {Download / total:P0}, parse {Parse / total:P0}, resolve {Resolve / total:P0}, write {Write / total:P0}");
    }
}
