namespace Gogobe.Host.Bench;

/// <summary>
/// The largest managed-heap commitment seen during a scenario (sampled every 100 ms, as of each latest collection), so
/// that the peak RSS can be split into what the garbage collector holds and the rest (native memory, code, mapped files).
/// </summary>
internal sealed class GcCommittedSampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakBytes;

    public GcCommittedSampler() => _sampling = SampleAsync(_stop.Token);

    /// <summary>The peak so far, in MB.</summary>
    public double PeakMegabytes => Math.Max(Interlocked.Read(ref _peakBytes), GC.GetGCMemoryInfo().TotalCommittedBytes) / (1024.0 * 1024.0);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _sampling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
            if (committed > Interlocked.Read(ref _peakBytes))
            {
                Interlocked.Exchange(ref _peakBytes, committed);
            }
        }
    }
}
