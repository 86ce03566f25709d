using System.Runtime.InteropServices;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Asks a child process to stop the polite way. .NET's <see cref="System.Diagnostics.Process.Kill()"/> is SIGKILL,
/// which gives a worker no chance to roll back its open file or mark its task; SIGTERM does.
/// </summary>
internal static partial class ChildSignals
{
    private const int SigTerm = 15;

    /// <summary>Sends SIGTERM; false when it could not be sent (no such process, or Windows, which has no SIGTERM).</summary>
    public static bool Terminate(int processId) => !OperatingSystem.IsWindows() && Kill(processId, SigTerm) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
