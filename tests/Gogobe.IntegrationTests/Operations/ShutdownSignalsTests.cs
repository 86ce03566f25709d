using Gogobe.Host.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>The two stages of a stop, driven from code (the real signals are sent to real processes in <see cref="GracefulStopTests"/>).</summary>
public sealed class ShutdownSignalsTests
{
    [Fact]
    public void RequestStop_Once_StopsTakingWorkButDoesNotForce()
    {
        using var signals = new ShutdownSignals(TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger.Instance);

        Assert.False(signals.Stopping.IsCancellationRequested);
        signals.RequestStop("test");

        Assert.True(signals.Stopping.IsCancellationRequested);
        Assert.False(signals.Forced.IsCancellationRequested);
    }

    [Fact]
    public void RequestStop_Twice_Forces()
    {
        using var signals = new ShutdownSignals(TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger.Instance);

        signals.RequestStop("first");
        signals.RequestStop("second");

        Assert.True(signals.Forced.IsCancellationRequested);
    }

    [Fact]
    public async Task RequestStop_GracePassed_Forces()
    {
        using var signals = new ShutdownSignals(TimeSpan.FromMilliseconds(300), TimeProvider.System, NullLogger.Instance);
        var hung = new TaskCompletionSource();

        signals.RequestStop("test");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var finished = await signals.WaitUnlessForcedAsync(hung.Task);

        Assert.False(finished);
        Assert.True(signals.Forced.IsCancellationRequested);
        Assert.InRange(started.Elapsed, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WaitUnlessForced_WorkEndsInTime_ReturnsTrue()
    {
        using var signals = new ShutdownSignals(TimeSpan.FromSeconds(30), TimeProvider.System, NullLogger.Instance);

        signals.RequestStop("test");
        Assert.True(await signals.WaitUnlessForcedAsync(Task.Delay(100)));
        Assert.False(signals.Forced.IsCancellationRequested);
    }
}
