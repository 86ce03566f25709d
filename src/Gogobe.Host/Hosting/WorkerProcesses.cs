using System.Collections.Concurrent;
using System.Diagnostics;
using Gogobe.Host.Configuration;

namespace Gogobe.Host.Hosting;

/// <summary>How to start one worker process: normally <c>dotnet gogobe.dll worker</c>, any executable in tests.</summary>
/// <param name="Environment">Variables added to the child's environment (the database goes here, not on the command line, where <c>ps</c> shows it).</param>
internal sealed record WorkerLaunch(string FileName, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>This executable's <c>worker</c> verb, the way this process itself was started (apphost or <c>dotnet gogobe.dll</c>).</summary>
    public static WorkerLaunch Self(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var (fileName, args) = SelfCommand.For(["worker", .. arguments]);
        return new WorkerLaunch(fileName, args, environment);
    }
}

/// <summary>What one worker slot has done so far (for /api and tests).</summary>
/// <param name="RestartDelays">The delay chosen before each restart, in order.</param>
internal sealed record WorkerSlotStatus(int Slot, int? ProcessId, int Starts, int? LastExitCode, IReadOnlyList<TimeSpan> RestartDelays);

/// <summary>
/// Keeps <see cref="WorkersOptions.Processes"/> worker processes alive for <c>gogobe serve</c>: starts them, forwards
/// their output to this host's log (so one log tells the whole story), restarts one that exits with
/// <see cref="RestartBackoff"/>, and on shutdown sends SIGTERM (a worker's own graceful stop: roll back, mark its task)
/// and kills what is still running after the grace period. A crashed worker's task is rescued by the heartbeat rule,
/// not here: this class only keeps the processes.
/// </summary>
internal sealed partial class WorkerProcesses(
    WorkerLaunch command, WorkersOptions options, TimeSpan grace, TimeProvider time, ILogger<WorkerProcesses> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, Slot> _slots = new();
    private Task _supervisors = Task.CompletedTask;

    public IReadOnlyList<WorkerSlotStatus> Status =>
        [.. _slots.Values.OrderBy(s => s.Number).Select(s => s.Snapshot())];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        _supervisors = Task.WhenAll(Enumerable.Range(1, options.Processes).Select(n =>
        {
            var slot = _slots[n] = new Slot(n);
            return Task.Run(() => SuperviseAsync(slot, _stopping.Token), CancellationToken.None);
        }));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        // Each supervisor stops its own process (SIGTERM, then kill after the grace period); the host's own timeout bounds this wait.
        await _supervisors.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task SuperviseAsync(Slot slot, CancellationToken stopping)
    {
        var backoff = new RestartBackoff(
            TimeSpan.FromSeconds(options.InitialBackoffSeconds), TimeSpan.FromSeconds(options.MaxBackoffSeconds), TimeSpan.FromSeconds(options.StableAfterSeconds));
        while (!stopping.IsCancellationRequested)
        {
            using var process = Start(slot);
            if (process is null)
            {
                // Could not even start (missing executable): the same backoff as a crash, so a typo costs a line a minute.
                slot.Exited(null);
            }
            else
            {
                var started = time.GetTimestamp();
                try
                {
                    await process.WaitForExitAsync(stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await StopAsync(slot, process).ConfigureAwait(false);
                    return;
                }

                slot.Exited(process.ExitCode);
                var ran = time.GetElapsedTime(started);
                var delay = backoff.After(ran);
                slot.RestartDelays.Enqueue(delay);
                LogExited(slot.Number, process.Id, process.ExitCode, ran.TotalSeconds, delay.TotalSeconds);
                await DelayAsync(delay, stopping).ConfigureAwait(false);
                continue;
            }

            var failedStartDelay = backoff.After(TimeSpan.Zero);
            slot.RestartDelays.Enqueue(failedStartDelay);
            await DelayAsync(failedStartDelay, stopping).ConfigureAwait(false);
        }
    }

    private Process? Start(Slot slot)
    {
        var start = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Forward(slot, e.Data, error: false);
        process.ErrorDataReceived += (_, e) => Forward(slot, e.Data, error: true);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            LogStartFailed(slot.Number, command.FileName, ex.Message);
            process.Dispose();
            return null;
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        slot.Started(process.Id);
        LogStarted(slot.Number, process.Id);
        return process;
    }

    private async Task StopAsync(Slot slot, Process process)
    {
        if (process.HasExited)
        {
            slot.Exited(process.ExitCode);
            return;
        }

        var polite = ChildSignals.Terminate(process.Id);
        LogStopping(slot.Number, process.Id, polite ? "SIGTERM" : "no SIGTERM on this system");
        using var timeout = new CancellationTokenSource(polite ? grace : TimeSpan.Zero, time);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            LogStopped(slot.Number, process.Id, process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            LogKilled(slot.Number, process.Id, grace.TotalSeconds);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        slot.Exited(process.ExitCode);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stopping)
    {
        try
        {
            await Task.Delay(delay, time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping while waiting to restart: nothing is running, nothing to stop.
        }
    }

    private void Forward(Slot slot, string? line, bool error)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        if (error)
        {
            LogWorkerError(slot.Number, slot.ProcessId, line);
        }
        else
        {
            LogWorkerOutput(slot.Number, slot.ProcessId, line);
        }
    }

    private sealed class Slot(int number)
    {
        private readonly Lock _gate = new();
        private int? _processId;
        private int? _lastExitCode;
        private int _starts;

        public int Number { get; } = number;

        public int? ProcessId
        {
            get
            {
                lock (_gate)
                {
                    return _processId;
                }
            }
        }

        public ConcurrentQueue<TimeSpan> RestartDelays { get; } = new();

        public void Started(int processId)
        {
            lock (_gate)
            {
                _starts++;
                _processId = processId;
            }
        }

        public void Exited(int? exitCode)
        {
            lock (_gate)
            {
                _lastExitCode = exitCode;
                _processId = null;
            }
        }

        public WorkerSlotStatus Snapshot()
        {
            lock (_gate)
            {
                return new(Number, _processId, _starts, _lastExitCode, [.. RestartDelays]);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "worker {Slot} started (pid {Pid})")]
    private partial void LogStarted(int slot, int pid);

    [LoggerMessage(LogLevel.Error, "worker {Slot} could not start {FileName}: {Reason}")]
    private partial void LogStartFailed(int slot, string fileName, string reason);

    [LoggerMessage(LogLevel.Warning, "worker {Slot} (pid {Pid}) exited with code {ExitCode} after {Seconds:F1} s; restarting in {Delay:F1} s")]
    private partial void LogExited(int slot, int pid, int exitCode, double seconds, double delay);

    [LoggerMessage(LogLevel.Information, "worker {Slot} (pid {Pid}): stopping ({How})")]
    private partial void LogStopping(int slot, int pid, string how);

    [LoggerMessage(LogLevel.Information, "worker {Slot} (pid {Pid}) stopped with code {ExitCode}")]
    private partial void LogStopped(int slot, int pid, int exitCode);

    [LoggerMessage(LogLevel.Warning, "worker {Slot} (pid {Pid}) still running {Seconds:F0} s after SIGTERM: killed")]
    private partial void LogKilled(int slot, int pid, double seconds);

    [LoggerMessage(LogLevel.Information, "worker {Slot} (pid {Pid}): {Line}")]
    private partial void LogWorkerOutput(int slot, int? pid, string line);

    [LoggerMessage(LogLevel.Warning, "worker {Slot} (pid {Pid}) stderr: {Line}")]
    private partial void LogWorkerError(int slot, int? pid, string line);
}
