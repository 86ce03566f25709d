using System.Globalization;

namespace Gogobe.Host.Bench;

/// <summary>Everything one <c>gogobe bench</c> run measured; serialised as <c>bench/results/&lt;date&gt;.json</c>.</summary>
internal sealed record BenchReport(
    DateTimeOffset At,
    BenchMachine Machine,
    BenchScale Scale,
    int Seed,
    BenchDayFigures Day,
    IReadOnlyList<ScenarioResult> Scenarios,
    ParseOnlyResult ParseOnly,
    IReadOnlyList<BaselineResult> Baselines,
    IReadOnlyList<BenchRatio> Ratios);

/// <summary>The machine and runtime the figures come from.</summary>
internal sealed record BenchMachine(string Os, int Cores, string Cpu, long MemoryMegabytes, string Runtime, string Gc, string Postgres);

/// <summary>The synthetic day: its files as pre-generated (untimed) before the scenarios.</summary>
internal sealed record BenchDayFigures(int Files, int PriceFiles, long Bytes, long RowsInFiles, long DistinctRows, double GenerateSeconds);

/// <summary>
/// One timed orchestrator run over the day. Rows/s are rows read (duplicates included) per wall second. Memory and CPU
/// are Gogobe's process alone; the simulator's process has its own peak beside them.
/// </summary>
internal sealed record ScenarioResult(
    string Name,
    string Description,
    double WallSeconds,
    long RowsRead,
    long RowsChanged,
    long ExpectedRowsChanged,
    int FilesCompleted,
    int FilesSkipped,
    int FilesFailed,
    double RowsPerSecond,
    double FilesPerSecond,
    double StartRssMegabytes,
    double PeakRssMegabytes,
    double PeakGcCommittedMegabytes,
    double SimulatorPeakRssMegabytes,
    double CpuSeconds,
    GcFigures Gc,
    StageSplit Split,
    long PricesInDatabase,
    long HistoryRowsInDatabase);

/// <summary>Garbage collections of Gogobe's process during a scenario, by generation, and the time they paused it.</summary>
internal sealed record GcFigures(int Gen0, int Gen1, int Gen2, double PauseSeconds)
{
    public static GcFigures Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration().TotalSeconds);

    /// <summary>The collections since <paramref name="start"/> (counts include the younger generations' own).</summary>
    public GcFigures Since(GcFigures start) => new(Gen0 - start.Gen0, Gen1 - start.Gen1, Gen2 - start.Gen2, PauseSeconds - start.PauseSeconds);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Gen0:N0} / {Gen1:N0} / {Gen2:N0} ({PauseSeconds:N2} s)");
}

/// <summary>The reader alone over the baseline subset, on one thread.</summary>
internal sealed record ParseOnlyResult(
    int Files, long Rows, double WallSeconds, double CpuSeconds, double RowsPerSecondPerCore,
    double XmlReaderCpuSeconds, double XmlReaderRowsPerSecondPerCore, bool SameRowCount);

/// <summary>
/// One write method over the baseline subset, in the same harness (files two at a time, each parsed and deduplicated,
/// then written in one transaction): the first load into an empty database and the same files again.
/// Write seconds are thread-seconds summed over files.
/// </summary>
internal sealed record BaselineResult(
    string Method,
    int Files,
    long Rows,
    double FirstEndToEndSeconds,
    double FirstWriteSeconds,
    double AgainEndToEndSeconds,
    double AgainWriteSeconds,
    long PricesInDatabase,
    long HistoryRowsInDatabase)
{
    public double FirstEndToEndRowsPerSecond => Rows / Math.Max(FirstEndToEndSeconds, 1e-9);
    public double FirstWriteRowsPerSecond => Rows / Math.Max(FirstWriteSeconds, 1e-9);
    public double AgainEndToEndRowsPerSecond => Rows / Math.Max(AgainEndToEndSeconds, 1e-9);
    public double AgainWriteRowsPerSecond => Rows / Math.Max(AgainWriteSeconds, 1e-9);
}

/// <summary>How many times faster Gogobe's path is than a baseline, on one measure.</summary>
internal sealed record BenchRatio(string Measure, string Against, double Times, double Target);
