using Gogobe.Core.Scraping;
using Gogobe.Core.Supervision;

namespace Gogobe.Host.Hosting;

/// <summary>Builds the durable form of a run (<see cref="RunSubmission"/>) the same way for <c>gogobe run</c>, the API and the schedule.</summary>
internal static class RunSubmitter
{
    public static RunSubmission Create(
        Guid runId, IReadOnlyList<SupermarketScraper> scrapers, RunSettings settings, DemoWorld? demo, SupervisorOptions supervisor, string submittedBy)
    {
        ArgumentNullException.ThrowIfNull(scrapers);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(supervisor);
        var jobSettings = new JobSettings(
            settings.Force, settings.BatchSize, settings.MaxRejectedShare, settings.Proxy, demo,
            [.. scrapers.Select(s => s.Chain.Id)], settings.PerHostConcurrency);
        return new RunSubmission(
            runId, jobSettings, [.. scrapers.Select(s => new TaskSpec(s.Chain.Id, s.Chain.Name))], supervisor.MaxAttempts, supervisor.TaskTimeout,
            submittedBy);
    }

    /// <summary>Who submitted a run, for <c>gogobe jobs list</c>: the verb, host and process.</summary>
    public static string Origin(string verb) => $"{verb}@{Environment.MachineName}:{Environment.ProcessId}";
}
