using Gogobe.Host.Hosting;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// The two-stage stop every long-running verb (<c>run</c>, <c>worker</c>) shares: the first SIGTERM/SIGINT cancels the
/// work's token (open files roll back, tasks go back to the queue) and the verb exits <see cref="ExitCodes.Stopped"/>;
/// a second signal or the end of the grace period exits <see cref="ExitCodes.Forced"/> at once.
/// </summary>
internal static class GracefulStop
{
    public static async Task<int> RunAsync(
        TimeSpan grace, ILoggerFactory loggerFactory, IAnsiConsole console, string stoppedMessage,
        Func<CancellationToken, Task<int>> work, CancellationToken cancellationToken)
    {
        using var signals = new ShutdownSignals(grace, TimeProvider.System, loggerFactory.CreateLogger("Gogobe.Shutdown"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
        var running = work(stop.Token);
        if (!await signals.WaitUnlessForcedAsync(running).ConfigureAwait(false))
        {
            // Forced: open files may stay 'processing' (their transactions die with the process, so nothing is half-written).
            // Exit now rather than wait in the disposals for the very work we gave up on.
            console.MarkupLine("[red]Stop forced:[/] exiting without waiting for open work.");
            Environment.Exit(ExitCodes.Forced);
        }

        try
        {
            var code = await running.ConfigureAwait(false);
            if (!signals.Stopping.IsCancellationRequested)
            {
                return code;
            }

            // The work wound down on its own terms (e.g. a run reporting its aborted chains); the exit code still says "stopped".
            console.MarkupLine($"[yellow]Stopped ({signals.Signal?.ToString() ?? "on request"}):[/] {stoppedMessage}");
            return ExitCodes.Stopped;
        }
        catch (OperationCanceledException) when (signals.Stopping.IsCancellationRequested)
        {
            console.MarkupLine($"[yellow]Stopped ({signals.Signal?.ToString() ?? "on request"}):[/] {stoppedMessage}");
            return ExitCodes.Stopped;
        }
    }
}
