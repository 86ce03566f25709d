using System.Diagnostics;
using System.Text;

namespace Gogobe.IntegrationTests;

/// <summary>Runs the real <c>gogobe</c> executable (built next to the tests) as a child process.</summary>
internal static class GogobeProcess
{
    /// <param name="Output">Standard output and error as they came, interleaved.</param>
    public sealed record Result(int ExitCode, string Output, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gogobe.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // A wide virtual console so the summary table is not wrapped.
        start.Environment["COLUMNS"] = "240";
        var output = new StringBuilder();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); stderr.AppendLine(e.Data); } } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"gogobe {string.Join(' ', arguments)} did not finish in {timeout}:{Environment.NewLine}{output}");
        }

        lock (output)
        {
            return new Result(process.ExitCode, output.ToString(), stdout.ToString(), stderr.ToString());
        }
    }
}
