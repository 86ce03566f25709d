namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Workers</c>: worker processes <c>gogobe serve</c> starts and keeps alive.</summary>
internal sealed class WorkersOptions
{
    public const string Section = "Gogobe:Workers";

    /// <summary>Child <c>gogobe worker</c> processes; 0 runs work in-process only.</summary>
    public int Processes { get; set; }

    /// <summary>The first restart delay after a crash; doubled per crash in a row.</summary>
    public double InitialBackoffSeconds { get; set; } = 1;

    /// <summary>The longest restart delay.</summary>
    public double MaxBackoffSeconds { get; set; } = 60;

    /// <summary>A worker that ran this long counts as stable: its next crash starts the backoff again from the first delay.</summary>
    public double StableAfterSeconds { get; set; } = 60;
}
