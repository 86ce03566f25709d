namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Runs</c>: how runs started by <c>gogobe serve</c> behave.</summary>
internal sealed class RunsOptions
{
    public const string Section = "Gogobe:Runs";

    /// <summary>Chains processed at once.</summary>
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Requests at once against one portal host (portals throttle and ban aggressive clients).</summary>
    public int PerHostConcurrency { get; set; } = 4;

    /// <summary>When <c>gogobe serve</c> starts a run: a five-field cron expression in Israel local time; empty for never.</summary>
    public string Schedule { get; set; } = "0 4 * * *";

    /// <summary>Runs use the built-in portal simulator instead of the real portals.</summary>
    public bool Demo { get; set; }
}
