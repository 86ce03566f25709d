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
    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
}
