using System.Collections.Concurrent;

namespace Gogobe.Host.Http;

/// <summary>
/// Politeness per portal host, shared by every chain's client in a run (many chains share one Cerberus host): at most
/// <c>concurrency</c> requests in flight to a host, bodies included, and at least <c>spacing</c> between the starts
/// of two requests to it. Portals throttle and ban clients that open many connections at once.
/// </summary>
internal sealed class HostThrottle(int concurrency, TimeSpan spacing, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Gate> _gates = new(StringComparer.OrdinalIgnoreCase);

    public int Concurrency { get; } = concurrency;

    public TimeSpan Spacing { get; } = spacing;

    /// <summary>Waits for a slot on <paramref name="authority"/> and its politeness turn; dispose the lease to free the slot.</summary>
    public async Task<IDisposable> AcquireAsync(string authority, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(authority, _ => new Gate(Concurrency));
        await gate.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var wait = gate.TakeTurn(time.GetUtcNow(), Spacing);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            return new Lease(gate.Slots);
        }
        catch
        {
            gate.Slots.Release();
            throw;
        }
    }

    private sealed class Gate(int concurrency)
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _nextStart = DateTimeOffset.MinValue;

        public SemaphoreSlim Slots { get; } = new(concurrency, concurrency);

        /// <summary>Reserves the next start time on this host and returns how long to wait for it.</summary>
        public TimeSpan TakeTurn(DateTimeOffset now, TimeSpan spacing)
        {
            lock (_lock)
            {
                var start = _nextStart > now ? _nextStart : now;
                _nextStart = start + spacing;
                return start - now;
            }
        }
    }

    /// <summary>Frees its slot once, however often it is disposed (the response and its body stream both dispose it).</summary>
    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
