using System.Diagnostics;

namespace Gogobe.Host.Hosting;

/// <summary>Peak resident memory of this process (VmHWM on Linux; the platform's peak working set elsewhere).</summary>
internal static class PeakMemory
{
    public static double Megabytes()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
