namespace Gogobe.Host.Hosting;

/// <summary>The JSON payloads of the live stream's events (see the SSE contract in docs); camelCase on the wire.</summary>
internal sealed record FileCountsView(int Completed, int Failed, int Skipped, int Processing);

internal sealed record ChainView(
    string Name, string Id, string Family, string State, string? LastFile, string? LastError, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, FileCountsView Files, long RowsRead, long RowsChanged);

internal sealed record FleetEvent(DateTimeOffset At, IReadOnlyList<ChainView> Chains);

internal sealed record ActivityView(int Active, int Registered);

internal sealed record CoverageView(int Covered, int Active, double Percent);

internal sealed record ReliabilityView(int Completed, int Failed, double Percent);

internal sealed record EtaView(double? Seconds, int Waiting, int Running, int Workers);

internal sealed record SessionView(double? ElapsedSeconds, double? AverageRunSeconds);

internal sealed record MetricsEvent(
    DateTimeOffset At, double PricesPerSecond, double NewSkusPerSecond, long PricesTotal, long SkusTotal, ActivityView FleetActivity,
    CoverageView StoreCoverage, ReliabilityView Reliability, double CpuPercent, double RamPercent, double RamUsedMb, double RamTotalMb,
    EtaView Eta, SessionView Session);

internal sealed record LogEvent(DateTimeOffset At, string Chain, string Level, string Message);

internal sealed record RunEvent(string? RunId, string State, DateTimeOffset? StartedAt);

internal sealed record DbEvent(bool Ok, string? Error);
