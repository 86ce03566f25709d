using System.Diagnostics;

namespace Gogobe.Host.Hosting;

/// <summary>Peak resident memory of a process (VmHWM on Linux; the platform's peak working set elsewhere).</summary>
internal static class PeakMemory
{
    /// <summary>This process's peak.</summary>
    public static double Megabytes()
    {
        using var self = Process.GetCurrentProcess();
        return Megabytes(self);
    }

    public static double Megabytes(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        process.Refresh();
        return process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>
    /// Starts a new peak at the current RSS (writes 5 to <c>/proc/PID/clear_refs</c>), so that a measured span reports
    /// its own peak. Linux only; elsewhere, or where not permitted, the peak stays the process's whole-life peak.
    /// </summary>
    public static void Reset(int processId)
    {
        try
        {
            File.WriteAllText($"/proc/{processId}/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Not Linux, or not permitted: said in BENCHMARK.md.
        }
    }
}
