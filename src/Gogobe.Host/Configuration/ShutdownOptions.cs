namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Shutdown</c>: how long a stop request may take before it is forced.</summary>
internal sealed class ShutdownOptions
{
    public const string Section = "Gogobe:Shutdown";

    /// <summary>
    /// Seconds between the first stop signal (stop taking work, roll back the open file) and the forced exit. A second
    /// signal forces the exit at once.
    /// </summary>
    public int GraceSeconds { get; set; } = 30;

    public TimeSpan Grace => TimeSpan.FromSeconds(GraceSeconds);
}
