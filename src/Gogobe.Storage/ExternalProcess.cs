using System.Diagnostics;

namespace Gogobe.Storage;

/// <summary>Runs PostgreSQL's command-line programs, as the <c>postgres</c> user when this process is root.</summary>
internal static class ExternalProcess
{
    /// <summary>The account PostgreSQL's programs run as when this process is root (PostgreSQL refuses to run as root).</summary>
    public const string PostgresUser = "postgres";

    /// <summary>True when running as root on Unix, where PostgreSQL refuses to start.</summary>
    public static bool IsRoot { get; } = !OperatingSystem.IsWindows() && Environment.UserName == "root";

    // Root's PATH does not always hold the sbin folders (e.g. under sudo or a service manager).
    private static readonly Lazy<string> RunUser = new(() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"])
            .Select(dir => Path.Combine(dir, "runuser"))
            .FirstOrDefault(File.Exists)
        ?? throw new PostgresClusterException(
            "Running as root, Gogobe starts PostgreSQL as the 'postgres' user with runuser, which was not found. " +
            "Install util-linux (apt-get install -y util-linux), run Gogobe as an ordinary user, or set GOGOBE_DB."));

    public static async Task<ProcessResult> RunAsync(string fileName, IReadOnlyList<string> arguments, bool runAsPostgres, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        if (runAsPostgres)
        {
            // runuser (util-linux) switches user without a password prompt; "/" is a working directory postgres can always enter.
            info.FileName = RunUser.Value;
            info.WorkingDirectory = "/";
            info.ArgumentList.Add("-u");
            info.ArgumentList.Add(PostgresUser);
            info.ArgumentList.Add("--");
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = info };
        process.Start();

        // Read both pipes concurrently so a chatty program cannot block on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw;
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs a program and throws with its stderr when it fails.</summary>
    public static async Task<ProcessResult> RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, bool runAsPostgres, string what, CancellationToken cancellationToken)
    {
        var result = await RunAsync(fileName, arguments, runAsPostgres, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var detail = string.IsNullOrWhiteSpace(result.StandardError) ? result.StandardOutput : result.StandardError;
            throw new PostgresClusterException($"{what} failed (exit code {result.ExitCode}): {detail.Trim()}");
        }

        return result;
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
