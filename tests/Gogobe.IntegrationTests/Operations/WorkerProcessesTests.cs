using System.Collections.Concurrent;
using Gogobe.Host.Configuration;
using Gogobe.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace Gogobe.IntegrationTests.Operations;

/// <summary><see cref="WorkerProcesses"/> with real child processes (shell scripts standing in for <c>gogobe worker</c>).</summary>
public sealed class WorkerProcessesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void RestartBackoff_CrashesInARow_DoublesUpToTheCapAndResetsWhenStable()
    {
        var backoff = new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));
        var quick = TimeSpan.FromSeconds(2);

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.After(quick).TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], delays);
        Assert.Equal(1, backoff.After(TimeSpan.FromSeconds(61)).TotalSeconds);
        Assert.Equal(2, backoff.After(quick).TotalSeconds);
    }

    [Fact]
    public async Task CrashingWorker_IsRestartedWithGrowingBackoff()
    {
        var script = Script("crash.sh", "echo \"starting $$\"\necho 'boom' >&2\nexit 3\n");
        var log = new ListLogger();
        var options = new WorkersOptions { Processes = 1, InitialBackoffSeconds = 0.2, MaxBackoffSeconds = 0.8, StableAfterSeconds = 30 };
        using var workers = new WorkerProcesses(new WorkerLaunch("/bin/sh", [script], new Dictionary<string, string>()), options,
            TimeSpan.FromSeconds(5), TimeProvider.System, log);

        var started = System.Diagnostics.Stopwatch.StartNew();
        await workers.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => workers.Status[0].Starts >= 5, TimeSpan.FromSeconds(30));
        var elapsed = started.Elapsed;
        await workers.StopAsync(CancellationToken.None);

        var status = workers.Status[0];
        Assert.Equal(3, status.LastExitCode);
        // Restarts wait 0.2, 0.4, 0.8, then stay at the 0.8 cap.
        Assert.Equal([0.2, 0.4, 0.8, 0.8], status.RestartDelays.Take(4).Select(d => d.TotalSeconds));
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.2 + 0.4 + 0.8 + 0.8), $"five starts took {elapsed}, less than the backoff allows");
        Assert.Contains(log.Lines, l => l.StartsWith("Information worker 1 (pid ", StringComparison.Ordinal) && l.Contains("): starting ", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("Warning worker 1 (pid ", StringComparison.Ordinal) && l.EndsWith("stderr: boom", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.Contains("exited with code 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunningWorker_OnStop_GetsSigtermAndExitsCleanly()
    {
        var marker = Path.Combine(_folder.Path, "terminated");
        var script = Script("serve.sh", $"trap 'echo terminated > {marker}; exit 0' TERM\necho ready\nwhile true; do sleep 0.05; done\n");
        var log = new ListLogger();
        var options = new WorkersOptions { Processes = 2 };
        using var workers = new WorkerProcesses(new WorkerLaunch("/bin/sh", [script], new Dictionary<string, string>()), options,
            TimeSpan.FromSeconds(10), TimeProvider.System, log);

        await workers.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => log.Lines.Count(l => l.EndsWith("): ready", StringComparison.Ordinal)) == 2, TimeSpan.FromSeconds(20));
        var pids = workers.Status.Select(s => s.ProcessId!.Value).ToList();
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await workers.StopAsync(CancellationToken.None);

        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), $"stop took {stopping.Elapsed}");
        Assert.All(workers.Status, s => Assert.Equal(0, s.LastExitCode));
        Assert.All(workers.Status, s => Assert.Equal(1, s.Starts));
        Assert.True(File.Exists(marker), "the worker saw SIGTERM");
        Assert.All(pids, pid => Assert.False(ProcessAlive(pid)));
        Assert.DoesNotContain(log.Lines, l => l.Contains("killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkerIgnoringSigterm_IsKilledAfterTheGracePeriod()
    {
        var script = Script("stubborn.sh", "trap '' TERM\necho ready\nwhile true; do sleep 0.05; done\n");
        var log = new ListLogger();
        using var workers = new WorkerProcesses(new WorkerLaunch("/bin/sh", [script], new Dictionary<string, string>()),
            new WorkersOptions { Processes = 1 }, TimeSpan.FromSeconds(1), TimeProvider.System, log);

        await workers.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => log.Lines.Any(l => l.EndsWith("): ready", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        var pid = workers.Status[0].ProcessId!.Value;
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await workers.StopAsync(CancellationToken.None);

        Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(8));
        Assert.Contains(log.Lines, l => l.Contains("still running 1 s after SIGTERM: killed", StringComparison.Ordinal));
        Assert.False(ProcessAlive(pid));
    }

    private string Script(string name, string body)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        return path;
    }

    private static bool ProcessAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(50, cts.Token);
        }
    }

    /// <summary>Collects "Level message" lines.</summary>
    private sealed class ListLogger : ILogger<WorkerProcesses>
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue($"{logLevel} {formatter(state, exception)}");
    }
}
