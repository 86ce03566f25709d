using Microsoft.Extensions.Options;

namespace Gogobe.Host.Configuration;

/// <summary>
/// <c>Gogobe:Http</c>: how Gogobe talks to the chains' portals (see docs/families/http.md). The defaults suit the real
/// portals: slow government-mandated sites that throttle, restart, and ban the greedy. The per-host connection cap is
/// <c>Gogobe:Runs:PerHostConcurrency</c>.
/// </summary>
internal sealed class PortalHttpOptions
{
    public const string Section = "Gogobe:Http";

    /// <summary>Longest wait for one attempt's response headers (the body is governed by <see cref="BodyIdleTimeout"/>).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a response over all attempts and the waits between them.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries after the first attempt, on transient failures (connection errors, timeouts, 408, 429, 5xx).</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First retry delay; later ones double, with jitter, unless the portal says <c>Retry-After</c>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A <c>Retry-After</c> longer than this is shortened to it (the total timeout bounds everything anyway).</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A download whose body sends nothing for this long is abandoned (that file fails; bodies are never retried).</summary>
    public TimeSpan BodyIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for a TCP (and TLS) connection.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Share of failed attempts to one host, within <see cref="CircuitSamplingDuration"/>, that opens its circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts to one host within the sampling window before the ratio counts.</summary>
    public int CircuitMinimumThroughput { get; set; } = 8;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit refuses calls to its host before one trial call.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Least time between the starts of two requests to one host.</summary>
    public TimeSpan PolitenessDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>HTTP proxy for the real portals (often reachable only from Israeli addresses); empty for none. <c>--proxy</c> overrides.</summary>
    public string Proxy { get; set; } = "";

    /// <summary>User-Agent sent to the portals; empty for Gogobe's own (<c>Gogobe/version (+price-transparency ingestion)</c>).</summary>
    public string UserAgent { get; set; } = "";

    /// <summary>
    /// These settings for the demo: the simulator stands in for every portal host on one loopback address, so a
    /// politeness delay there would space the whole fleet's requests as if they all went to one portal.
    /// </summary>
    public PortalHttpOptions ForSimulator()
    {
        var copy = (PortalHttpOptions)MemberwiseClone();
        copy.PolitenessDelay = TimeSpan.Zero;
        return copy;
    }
}

internal sealed class PortalHttpOptionsValidator : IValidateOptions<PortalHttpOptions>
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, PortalHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        const string s = PortalHttpOptions.Section;
        // The lower bounds are Polly's own (it refuses shorter timeouts and windows); checked here to fail with the key's name.
        Between(failures, $"{s}:AttemptTimeout", options.AttemptTimeout, TimeSpan.FromMilliseconds(10), Day);
        Between(failures, $"{s}:TotalTimeout", options.TotalTimeout, TimeSpan.FromMilliseconds(10), Day);
        if (options.TotalTimeout < options.AttemptTimeout)
        {
            failures.Add($"{s}:TotalTimeout ({options.TotalTimeout}) must be at least {s}:AttemptTimeout ({options.AttemptTimeout}).");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            failures.Add($"{s}:MaxRetries must be 0..20 (was {options.MaxRetries}).");
        }

        Between(failures, $"{s}:RetryBaseDelay", options.RetryBaseDelay, TimeSpan.Zero, Day);
        Between(failures, $"{s}:MaxRetryAfter", options.MaxRetryAfter, TimeSpan.Zero, Day);
        Between(failures, $"{s}:BodyIdleTimeout", options.BodyIdleTimeout, TimeSpan.FromMilliseconds(10), Day);
        Between(failures, $"{s}:ConnectTimeout", options.ConnectTimeout, TimeSpan.FromMilliseconds(10), Day);
        if (double.IsNaN(options.CircuitFailureRatio) || options.CircuitFailureRatio is <= 0 or > 1)
        {
            failures.Add($"{s}:CircuitFailureRatio must be above 0 and at most 1 (was {options.CircuitFailureRatio}).");
        }

        failures.AtLeast($"{s}:CircuitMinimumThroughput", options.CircuitMinimumThroughput, 2);
        Between(failures, $"{s}:CircuitSamplingDuration", options.CircuitSamplingDuration, TimeSpan.FromMilliseconds(500), Day);
        Between(failures, $"{s}:CircuitBreakDuration", options.CircuitBreakDuration, TimeSpan.FromMilliseconds(500), Day);
        Between(failures, $"{s}:PolitenessDelay", options.PolitenessDelay, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        if (!string.IsNullOrWhiteSpace(options.Proxy)
            && (!Uri.TryCreate(options.Proxy, UriKind.Absolute, out var proxy) || proxy.Scheme is not ("http" or "https")))
        {
            failures.Add($"{s}:Proxy must be an absolute http:// or https:// address (was '{options.Proxy}').");
        }

        return failures.ToResult();
    }

    private static void Between(OptionsFailures failures, string key, TimeSpan value, TimeSpan minimum, TimeSpan maximum)
    {
        if (value < minimum || value > maximum)
        {
            failures.Add($"{key} must be between {minimum} and {maximum} (was {value}).");
        }
    }
}
