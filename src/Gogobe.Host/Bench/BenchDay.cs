using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Host.Hosting;
using Gogobe.Simulator;

namespace Gogobe.Host.Bench;

/// <summary>
/// The synthetic national day: the portal simulator serving the chosen chains (Stores and PriceFull files, each chain
/// in its own shape, encoding and container, ~2 % in-file duplicates), with every file generated once onto disk before
/// anything is timed, so the timed runs measure the ingest and not the simulator's gzip on the same cores. The
/// simulator runs in its own process (<see cref="BenchPortal"/>): the portals are not Gogobe's memory.
/// </summary>
internal sealed class BenchDay : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly string _cacheDirectory;
    private readonly ConcurrentQueue<string> _errors = new();
    private Uri? _address;
    private PortalDay? _today;

    private BenchDay(Process process, IReadOnlyList<SupermarketScraper> scrapers, string cacheDirectory)
    {
        _process = process;
        Scrapers = scrapers;
        _cacheDirectory = cacheDirectory;
    }

    public IReadOnlyList<SupermarketScraper> Scrapers { get; }

    /// <summary>Stores listed by the day's Stores files (known once <see cref="GenerateAsync"/> has run).</summary>
    public long StoresRows => Today.StoresRows;

    /// <summary>The simulator process's peak RSS since <see cref="ResetSimulatorPeak"/>, in MB.</summary>
    public double SimulatorPeakMegabytes => PeakMemory.Megabytes(_process);

    private PortalDay Today => _today ?? throw new InvalidOperationException("The day's files are not generated yet.");

    public static async Task<BenchDay> StartAsync(
        IReadOnlyList<SupermarketScraper> scrapers, BenchScale scale, int seed, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(scale);
        var chosen = scrapers.Take(scale.Chains).ToArray();
        var cache = Path.Combine(Path.GetTempPath(), $"gogobe-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var start = SelfCommand.StartInfo(
            "bench-portal",
            "--chains", string.Join(',', chosen.Select(s => s.Chain.Id)),
            "--stores", scale.StoresPerChain.ToString(CultureInfo.InvariantCulture),
            "--items", scale.ItemsPerStore.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--day", day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            "--cache", cache);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the bench's simulator process ({start.FileName}).");
        var bench = new BenchDay(process, chosen, cache);
        process.ErrorDataReceived += (_, e) => bench.KeepError(e.Data);
        process.BeginErrorReadLine();
        try
        {
            bench._address = (await bench.ReadAsync<PortalReady>(cancellationToken).ConfigureAwait(false)).Address;
            return bench;
        }
        catch
        {
            await bench.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The simulator's stand-in for a real portal address.</summary>
    public Uri MapPortal(Uri realPortalAddress) =>
        PortalSimulator.MapPortal(_address ?? throw new InvalidOperationException("The simulator is not listening."), realPortalAddress);

    /// <summary>Today's PriceFull files as generated onto disk, for the reader-only and baseline runs.</summary>
    public BenchFile[] PriceFullFiles() =>
    [
        .. Today.Files
            .Where(f => PriceFileReader.KindOf(f.Name) == FileKind.PriceFull)
            .Select(f => new BenchFile(Scrapers.First(s => s.Chain.Id == f.ChainId).Chain, f.Name, Path.Combine(_cacheDirectory, f.ChainId, f.Name))),
    ];

    /// <summary>Generates today's files onto disk (the simulator process, on both cores); returns the day's figures.</summary>
    public async Task<BenchDayFigures> GenerateAsync(CancellationToken cancellationToken)
    {
        _today = await AskAsync<PortalDay>(BenchPortalProtocol.Generate, cancellationToken).ConfigureAwait(false);
        return _today.Figures;
    }

    /// <summary>Moves the simulated world to the next day, changing <paramref name="fraction"/> of its prices; returns how many changed.</summary>
    public async Task<int> AdvanceDayAsync(double fraction, CancellationToken cancellationToken)
    {
        _today = null;
        var answer = await AskAsync<PortalAdvanced>(
            string.Create(CultureInfo.InvariantCulture, $"{BenchPortalProtocol.Advance} {fraction:R}"), cancellationToken).ConfigureAwait(false);
        return answer.Changed;
    }

    public void ResetSimulatorPeak() => PeakMemory.Reset(_process.Id);

    public async ValueTask DisposeAsync()
    {
        try
        {
            // End of input is the simulator's signal to stop serving and exit.
            _process.StandardInput.Close();
            using var grace = new CancellationTokenSource(ExitGrace);
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }

        try
        {
            Directory.Delete(_cacheDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Nothing was generated.
        }
    }

    private async Task<T> AskAsync<T>(string command, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(CancellationToken cancellationToken)
    {
        var line = await _process.StandardOutput.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (line is null)
        {
            using var grace = new CancellationTokenSource(ExitGrace);
            await _process.WaitForExitAsync(grace.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var code = _process.HasExited ? _process.ExitCode.ToString(CultureInfo.InvariantCulture) : "unknown";
            throw new InvalidOperationException(
                $"The bench's simulator process (gogobe bench-portal) ended with exit code {code}:{Environment.NewLine}{string.Join(Environment.NewLine, _errors)}");
        }

        return JsonSerializer.Deserialize<T>(line, BenchPortalProtocol.Json)
            ?? throw new InvalidDataException($"The bench's simulator process answered '{line}'.");
    }

    /// <summary>Keeps the simulator's last 50 stderr lines for the message if it fails.</summary>
    private void KeepError(string? line)
    {
        if (line is null)
        {
            return;
        }

        _errors.Enqueue(line);
        while (_errors.Count > 50 && _errors.TryDequeue(out _))
        {
        }
    }
}
