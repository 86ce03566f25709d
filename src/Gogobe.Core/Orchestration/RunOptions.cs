using Gogobe.Core.Scraping;

namespace Gogobe.Core.Orchestration;

/// <summary>
/// How one run behaves. Defaults are what a daily production run wants. A record: a variant is a copy made with
/// <c>with</c>, so no setting is ever left behind by a hand-written copy.
/// </summary>
public sealed record RunOptions
{
    /// <summary>The run's id; a new time-ordered id when null. Callers that must answer with the id before the run ends set it.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Chains scraped at once. Defaults to the CPU count: the work is parse- and database-bound.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Rows deduplicated and COPYed together; bounds memory per file whatever the file's size.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>
    /// A file fails when more than this share of its rows is rejected (missing codes, bad prices, ...): past it the
    /// file's format has changed or it is garbage, and completing it would silently drop most of a store.
    /// </summary>
    public double MaxRejectedShare { get; init; } = 0.2;

    /// <summary>Process stores even when they already completed today.</summary>
    public bool Force { get; init; }

    /// <summary>Maps a chain's real portal address to the one to use (the simulator in --demo); identity when null.</summary>
    public Func<Uri, Uri>? PortalAddress { get; init; }

    /// <summary>
    /// Certificate pins by portal host: the SHA-256 thumbprint (hex) of a TLS certificate trusted for that host even
    /// though it does not validate (self-signed FTPS test servers). Empty: only normally valid certificates.
    /// </summary>
    public IReadOnlyDictionary<string, string> CertificatePins { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the HTTP client a chain uses for one run (cookies live per chain run).</summary>
    public required Func<Chain, HttpClient> HttpClientFactory { get; init; }

    /// <summary>
    /// A token per chain that aborts only that chain (the dashboard's per-chain stop); the run's other chains go on. An
    /// aborted chain ends as failed with the reason "aborted". None when null.
    /// </summary>
    public Func<Chain, CancellationToken>? ChainAbort { get; init; }

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDegreeOfParallelism, 1, nameof(MaxDegreeOfParallelism));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        if (MaxRejectedShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRejectedShare), MaxRejectedShare, "The rejected share is a fraction from 0 to 1.");
        }
    }
}
