using Microsoft.Extensions.Logging;

namespace Gogobe.Core.Supervision;

/// <summary>
/// Rescues orphaned tasks every <see cref="SupervisorOptions.PollInterval"/>, whether this process's workers are busy or
/// idle: a worker loop rescues only between tasks, and a long chain must not delay the rescue of another process's dead
/// task. Every worker and serve process runs one; the store's guarded statements make concurrent rescuers safe.
/// </summary>
public sealed partial class OrphanRescuer(IJobStore store, SupervisorOptions options, TimeProvider time, ILogger<OrphanRescuer> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var orphaned = await store.RescueOrphansAsync(options.OrphanAfter, cancellationToken).ConfigureAwait(false);
                if (orphaned > 0)
                {
                    LogRescued(orphaned);
                }

                await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The database may be briefly away; try again at the next tick.
                LogFailed(ex);
                try
                {
                    await Task.Delay(options.PollInterval, time, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Rescued {Count} orphaned tasks (heartbeat lost)")]
    private partial void LogRescued(int count);

    [LoggerMessage(LogLevel.Warning, "Orphan rescue failed; retrying")]
    private partial void LogFailed(Exception exception);
}
