using Microsoft.Extensions.Hosting;

namespace Gogobe.Host.Hosting;

/// <summary>
/// A background service whose work ends quietly when the host stops it. The generic host logs a cancelled background
/// task as a critical failure, with its stack trace, whenever the stop did not come through <c>StopAsync</c> (for
/// example when Kestrel cannot bind and the host is disposed during start); a stop is not a failure, so it is not
/// reported as one. Any other exception still reaches the host.
/// </summary>
internal abstract class StoppableBackgroundService : BackgroundService
{
    private volatile bool _started;
    private Task? _quietTask;

    /// <summary>
    /// What the host watches. Since .NET 10, <c>BackgroundService.StartAsync</c> runs <see cref="ExecuteAsync"/> through
    /// <c>Task.Run</c> with the stopping token: a stop that comes before the thread pool runs it (a port already taken
    /// stops the host within milliseconds) cancels that task without <see cref="ExecuteAsync"/> ever running, so the
    /// catch below cannot see it. That cancellation, and only that one, is a stop too.
    /// </summary>
    public override Task? ExecuteTask => base.ExecuteTask is { } task ? _quietTask ??= QuietWhenNeverStartedAsync(task) : null;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _started = true;
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>The service's work, until <paramref name="stoppingToken"/> is cancelled.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    private async Task QuietWhenNeverStartedAsync(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_started)
        {
            // Stopped before it ran.
        }
    }
}
