using System.Text.Json;
using Gogobe.TestSupport;
using Xunit.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary>The <c>gogobe</c> executable as a user runs it, against a database of the test cluster.</summary>
[Collection(PostgresFixture.Collection)]
public sealed class CliTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task RunDemo_SmallFleet_PrintsSummaryAndWritesJson()
    {
        var summary = Path.Combine(Path.GetTempPath(), $"gogobe-summary-{Guid.NewGuid():N}.json");
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };

        var result = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo", "--chains", "2", "--stores", "2", "--items", "300", "--summary-json", summary);

        output.WriteLine(result.Output);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rows/s", result.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summary));
        Assert.Equal(2 * 2 + 2, json.RootElement.GetProperty("FilesCompleted").GetInt32());
        Assert.Equal(0, json.RootElement.GetProperty("FilesFailed").GetInt32());
        Assert.True(json.RootElement.GetProperty("RowsRead").GetInt64() >= 2 * 2 * 300);
        File.Delete(summary);
    }

    [Fact]
    public async Task RunDemo_UnknownChain_ExitsWithUsageError()
    {
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };

        var result = await GogobeProcess.RunAsync(env, Timeout, "run", "--demo", "--chain", "No Such Chain");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No registered chain matches 'No Such Chain'", result.Output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Files stream from the portal to the database: a file ten times larger must not need much more memory.
    /// (Buffering a 200k-row file whole would cost well over 150 MB more than the 20k-row file.)
    /// </summary>
    [Fact]
    public async Task RunDemo_TenTimesLargerFile_PeakMemoryStaysFlat()
    {
        var small = await PeakRssAsync(20_000);
        var large = await PeakRssAsync(200_000);

        var line = $"peak RSS: 20,000-row file {small:F0} MB, 200,000-row file {large:F0} MB (ratio {large / small:F2})";
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(AppContext.BaseDirectory, "memory-figures.txt"), line + Environment.NewLine);
        Assert.True(large < small + 60, line);
    }

    private async Task<double> PeakRssAsync(int items)
    {
        var summary = Path.Combine(Path.GetTempPath(), $"gogobe-rss-{Guid.NewGuid():N}.json");
        var env = new Dictionary<string, string> { ["GOGOBE_DB"] = await postgres.CreateDatabaseAsync() };
        var result = await GogobeProcess.RunAsync(
            env, Timeout, "run", "--demo", "--chain", "Rami Levy", "--stores", "1", "--items", items.ToString(System.Globalization.CultureInfo.InvariantCulture), "--summary-json", summary);
        Assert.True(result.ExitCode == 0, result.Output);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(summary));
        File.Delete(summary);
        Assert.True(json.RootElement.GetProperty("RowsRead").GetInt64() >= items);
        return json.RootElement.GetProperty("PeakRssMegabytes").GetDouble();
    }
}
