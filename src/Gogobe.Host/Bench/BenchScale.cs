namespace Gogobe.Host.Bench;

/// <summary>
/// The size of the synthetic day. Scale 1.0 is the national day (≈30 chains, 3,000 stores, 10,000 items per store,
/// ≈30M price rows); smaller scales keep 10,000 items per store and shrink the store count, and below 30 stores shrink
/// the items too, so that 0.01 runs in seconds and a smoke test can run a few thousand rows.
/// </summary>
/// <param name="Scale">The requested scale.</param>
/// <param name="Chains">Chains simulated: √scale × 30, at most the registered chains the simulator serves.</param>
/// <param name="StoresPerChain">Stores per chain, so that chains × stores ≈ 3,000 × scale.</param>
/// <param name="ItemsPerStore">Distinct items per store (each file repeats ~2 % of them on top, as real files do).</param>
internal sealed record BenchScale(double Scale, int Chains, int StoresPerChain, int ItemsPerStore)
{
    public const int NationalChains = 30;
    public const int NationalStores = 3_000;
    public const int NationalItems = 10_000;

    /// <summary>Distinct price rows of the day (stores × items).</summary>
    public long DistinctRows => (long)Chains * StoresPerChain * ItemsPerStore;

    public static BenchScale For(double scale, int availableChains)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(availableChains, 1);
        if (double.IsNaN(scale) || scale is <= 0 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "--scale must be more than 0 and at most 10.");
        }

        var stores = NationalStores * scale;
        var items = (int)Math.Clamp(Math.Round(NationalItems * Math.Min(1, stores / NationalChains)), 100, NationalItems);
        var totalStores = Math.Max(1, (int)Math.Round(stores));
        var chains = Math.Clamp((int)Math.Ceiling(NationalChains * Math.Sqrt(scale)), 1, Math.Min(availableChains, totalStores));
        var perChain = Math.Clamp((int)Math.Round((double)totalStores / chains), 1, 999);
        return new BenchScale(scale, chains, perChain, items);
    }
}
