using Gogobe.Host.Hosting;

namespace Gogobe.IntegrationTests.Operations;

/// <summary>
/// A background service stopped before its work ever ran (the port-taken start) ends quietly; a cancellation that is
/// not a stop still reaches the host.
/// </summary>
public sealed class StoppableBackgroundServiceTests
{
    [Fact]
    public async Task ExecuteTask_StoppedBeforeTheThreadPoolRanIt_CompletesWithoutCancellation()
    {
        using var service = new Probe(_ => Task.CompletedTask);

        // An already-cancelled start: .NET 10's Task.Run is cancelled before it runs ExecuteAsync, as when the host
        // stops within milliseconds of starting.
        await service.StartAsync(new CancellationToken(canceled: true));

        Assert.NotNull(service.ExecuteTask);
        await service.ExecuteTask;
        Assert.False(service.Ran);
    }

    [Fact]
    public async Task ExecuteTask_StoppedWhileRunning_CompletesWithoutCancellation()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var service = new Probe(token =>
        {
            running.SetResult();
            return Task.Delay(Timeout.Infinite, token);
        });
        await service.StartAsync(CancellationToken.None);
        await running.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        await service.ExecuteTask!;
        Assert.True(service.Ran);
    }

    [Fact]
    public async Task ExecuteTask_CancelledByAnotherToken_StillAFailure()
    {
        using var own = new CancellationTokenSource();
        await own.CancelAsync();
        using var service = new Probe(_ => Task.Delay(Timeout.Infinite, own.Token));
        await service.StartAsync(CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.ExecuteTask!);
        Assert.True(service.Ran);
    }

    private sealed class Probe(Func<CancellationToken, Task> work) : StoppableBackgroundService
    {
        public bool Ran { get; private set; }

        protected override Task RunAsync(CancellationToken stoppingToken)
        {
            Ran = true;
            return work(stoppingToken);
        }
    }
}
