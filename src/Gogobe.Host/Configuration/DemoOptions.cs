namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Demo</c>: the simulated fleet's size, for runs with <c>Gogobe:Runs:Demo</c>.</summary>
internal sealed class DemoOptions
{
    public const string Section = "Gogobe:Demo";

    /// <summary>How many of the registered chains to simulate; 0 means all of them.</summary>
    public int Chains { get; set; }

    public int StoresPerChain { get; set; } = 5;

    public int ItemsPerStore { get; set; } = 2_000;

    public int Seed { get; set; } = 42;
}
