using System.Runtime.InteropServices;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Two-stage stop for the long-running verbs. The first SIGTERM, SIGINT (Ctrl+C) or SIGQUIT cancels
/// <see cref="Stopping"/>: stop taking work; the file being written is rolled back by that cancellation (its
/// transaction) and marked failed, so a later run does it again. A second signal, or the grace period passing after the
/// first, cancels <see cref="Forced"/>: the verb stops waiting and exits with <see cref="ExitCodes.Forced"/>.
/// The signals' default action (terminating the process at once) is suppressed while this object lives.
/// </summary>
internal sealed partial class ShutdownSignals : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _forced;
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TimeSpan _grace;
    private readonly ILogger _logger;
    private int _requests;

    public ShutdownSignals(TimeSpan grace, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(grace, TimeSpan.Zero);
        _grace = grace;
        _logger = logger;
        // Created now with an infinite delay, armed with the grace period by the first request: CancelAfter then uses this clock.
        _forced = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registrations = OperatingSystem.IsWindows()
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)]
            : [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal),
                PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal)];
    }

    /// <summary>Cancelled by the first stop request: take no more work, finish or roll back what is open.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Cancelled by a second request or when the grace period runs out after the first: give up waiting.</summary>
    public CancellationToken Forced => _forced.Token;

    /// <summary>The signal that asked first, or null while nobody asked (or the request came from code).</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>A stop request from code (the same as a signal; also what tests use).</summary>
    public void RequestStop(string source)
    {
        var request = Interlocked.Increment(ref _requests);
        if (request == 1)
        {
            LogStopping(source, _grace.TotalSeconds);
            _forced.CancelAfter(_grace);
            _stopping.Cancel();
        }
        else
        {
            LogForced(source);
            _forced.Cancel();
        }
    }

    /// <summary>
    /// Waits for <paramref name="work"/> until <see cref="Forced"/>: true when the work ended (however it ended: its own
    /// exceptions are the caller's to observe by awaiting it), false when the stop was forced first.
    /// </summary>
    public async Task<bool> WaitUnlessForcedAsync(Task work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var forced = Task.Delay(Timeout.Infinite, Forced);
        var first = await Task.WhenAny(work, forced).ConfigureAwait(false);
        return first == work;
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stopping.Dispose();
        _forced.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the process alive: stopping is ours to do, in two stages.
        context.Cancel = true;
        Signal ??= context.Signal;
        RequestStop(context.Signal.ToString());
    }

    [LoggerMessage(LogLevel.Warning, "{Source}: stopping — no new work; the open file is rolled back. Again, or after {Seconds:F0} s, forces the exit.")]
    private partial void LogStopping(string source, double seconds);

    [LoggerMessage(LogLevel.Warning, "{Source} again: forcing the exit")]
    private partial void LogForced(string source);
}
