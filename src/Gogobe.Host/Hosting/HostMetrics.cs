using System.Diagnostics;
using System.Globalization;

namespace Gogobe.Host.Hosting;

/// <summary>
/// The host's CPU and memory use: from /proc/stat and /proc/meminfo on Linux (the whole machine, which is what an
/// operator watching a run wants), else this process's own figures. One instance per sampler: CPU is a difference
/// between two samples.
/// </summary>
internal sealed class HostMetrics
{
    private (long Busy, long Total)? _lastCpu;
    private TimeSpan _lastProcessCpu;
    private long _lastProcessTimestamp;

    public sealed record Sample(double CpuPercent, double RamPercent, double RamUsedMb, double RamTotalMb);

    public Sample Read()
    {
        var cpu = ReadProcStat() is { } now ? CpuFromProc(now) : CpuFromProcess();
        var (used, total) = ReadMemInfo() ?? ProcessMemory();
        return new Sample(Math.Round(cpu, 1), total > 0 ? Math.Round(100.0 * used / total, 1) : 0, Math.Round(used, 1), Math.Round(total, 1));
    }

    private double CpuFromProc((long Busy, long Total) now)
    {
        var last = _lastCpu;
        _lastCpu = now;
        if (last is not { } before || now.Total <= before.Total)
        {
            return 0;
        }

        return 100.0 * (now.Busy - before.Busy) / (now.Total - before.Total);
    }

    private double CpuFromProcess()
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var timestamp = Stopwatch.GetTimestamp();
        var percent = _lastProcessTimestamp == 0
            ? 0
            : 100.0 * (cpu - _lastProcessCpu).TotalSeconds / Stopwatch.GetElapsedTime(_lastProcessTimestamp, timestamp).TotalSeconds / Environment.ProcessorCount;
        (_lastProcessCpu, _lastProcessTimestamp) = (cpu, timestamp);
        return Math.Clamp(percent, 0, 100);
    }

    private static (long Busy, long Total)? ReadProcStat()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            if (line is null)
            {
                return null;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            var total = fields.Sum();
            // idle + iowait are not busy.
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static (double UsedMb, double TotalMb)? ReadMemInfo()
    {
        try
        {
            var values = File.ReadLines("/proc/meminfo")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2)
                .ToDictionary(p => p[0], p => long.Parse(p[1].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture), StringComparer.Ordinal);
            if (!values.TryGetValue("MemTotal", out var total) || !values.TryGetValue("MemAvailable", out var available))
            {
                return null;
            }

            return ((total - available) / 1024.0, total / 1024.0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    private static (double UsedMb, double TotalMb) ProcessMemory()
    {
        var info = GC.GetGCMemoryInfo();
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64 / 1048576.0, info.TotalAvailableMemoryBytes / 1048576.0);
    }
}
