namespace Gogobe.Simulator.Model;

/// <summary>
/// Stateless hashing (SplitMix64 finaliser) from which every simulated value is derived, so a row can be
/// recomputed from its coordinates instead of being stored. string.GetHashCode is randomised per process: never used here.
/// </summary>
internal static class Det
{
    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    public static ulong Hash(ulong a, ulong b) => Mix(a ^ Mix(b));

    public static ulong Hash(ulong a, ulong b, ulong c) => Hash(Hash(a, b), c);

    public static ulong Hash(ulong a, ulong b, ulong c, ulong d) => Hash(Hash(a, b, c), d);

    public static ulong Hash(ulong a, ulong b, ulong c, ulong d, ulong e) => Hash(Hash(a, b, c, d), e);

    /// <summary>A uniform value in [0, 1).</summary>
    public static double Unit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));

    public static int Below(ulong h, int n) => (int)(h % (ulong)n);

    public static T Pick<T>(ulong h, IReadOnlyList<T> items) => items[Below(h, items.Count)];

    /// <summary>FNV-1a over the UTF-16 code units: a stable hash of a string.</summary>
    public static ulong Of(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return Mix(h);
    }
}
