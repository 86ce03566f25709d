using System.Text.RegularExpressions;

namespace Gogobe.Simulator.Faults;

/// <summary>
/// Misbehaviour a test asks of the simulator, the way real portals misbehave: answer a status (503 with Retry-After,
/// 429, 404, 500), answer late, stall in the middle of the body, or drop the connection. Matches requests by path
/// (<see cref="PathContains"/> and/or <see cref="PathPattern"/>, against path and query) and <see cref="Method"/>;
/// applies to the first <see cref="Times"/> matching requests (null: every one), after which requests pass through.
/// Set exactly one of <see cref="Status"/>, <see cref="StallBodyFor"/>, <see cref="DropConnection"/>, or only
/// <see cref="DelayBeforeHeaders"/> (a slow but good answer).
/// </summary>
public sealed class HttpFault
{
    private int _applied;
    private int _matched;
    private int _inFlight;
    private int _maxInFlight;
    private readonly Lock _arrivalsLock = new();
    private readonly List<DateTimeOffset> _arrivals = [];

    /// <summary>Matches when the request's path and query contain this text (ordinal). Null: any path.</summary>
    public string? PathContains { get; init; }

    /// <summary>Matches when this pattern finds a match in the request's path and query. Null: any path.</summary>
    public Regex? PathPattern { get; init; }

    /// <summary>Matches only this method (GET, POST); null: any.</summary>
    public string? Method { get; init; }

    /// <summary>Requests the fault applies to; null: all of them.</summary>
    public int? Times { get; init; }

    /// <summary>Answer this status instead of the real response.</summary>
    public int? Status { get; init; }

    /// <summary>With <see cref="Status"/>: the <c>Retry-After</c> header, in whole seconds.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Wait this long before anything is sent (the response is otherwise the real one, unless a status is set).</summary>
    public TimeSpan DelayBeforeHeaders { get; init; }

    /// <summary>Send the headers and the first bytes of the real body, then nothing for this long, then the rest.</summary>
    public TimeSpan? StallBodyFor { get; init; }

    /// <summary>Abort the connection without an answer.</summary>
    public bool DropConnection { get; init; }

    /// <summary>Requests the fault was applied to.</summary>
    public int Applied => Volatile.Read(ref _applied);

    /// <summary>Requests that matched the fault's path and method, applied or not (every attempt the simulator saw).</summary>
    public int Matched => Volatile.Read(ref _matched);

    /// <summary>Most matching requests the simulator was serving at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>When each matching request arrived (the simulator's clock is the system's).</summary>
    public IReadOnlyList<DateTimeOffset> Arrivals
    {
        get
        {
            lock (_arrivalsLock)
            {
                return [.. _arrivals];
            }
        }
    }

    internal void Validate()
    {
        var actions = (Status is null ? 0 : 1) + (StallBodyFor is null ? 0 : 1) + (DropConnection ? 1 : 0);
        if (actions > 1 || (actions == 0 && DelayBeforeHeaders <= TimeSpan.Zero))
        {
            throw new ArgumentException("An HttpFault sets one of Status, StallBodyFor or DropConnection, or only DelayBeforeHeaders.");
        }

        if (Status is { } status && status is < 100 or > 599)
        {
            throw new ArgumentException($"HttpFault.Status {status} is not an HTTP status.");
        }

        if (Times is < 1)
        {
            throw new ArgumentException("HttpFault.Times must be at least 1 (null: always).");
        }
    }

    internal bool Matches(string method, string pathAndQuery) =>
        (Method is null || string.Equals(Method, method, StringComparison.OrdinalIgnoreCase))
        && (PathContains is null || pathAndQuery.Contains(PathContains, StringComparison.Ordinal))
        && (PathPattern is null || PathPattern.IsMatch(pathAndQuery));

    /// <summary>Counts a request that matched (applied or not).</summary>
    internal void Count(DateTimeOffset now)
    {
        Interlocked.Increment(ref _matched);
        lock (_arrivalsLock)
        {
            _arrivals.Add(now);
        }
    }

    /// <summary>Takes one of the fault's times; false when none are left.</summary>
    internal bool TryApply()
    {
        while (true)
        {
            var applied = Volatile.Read(ref _applied);
            if (Times is { } times && applied >= times)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _applied, applied + 1, applied) == applied)
            {
                return true;
            }
        }
    }

    internal void Enter()
    {
        var now = Interlocked.Increment(ref _inFlight);
        var max = Volatile.Read(ref _maxInFlight);
        while (now > max && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max)
        {
            max = Volatile.Read(ref _maxInFlight);
        }
    }

    internal void Leave() => Interlocked.Decrement(ref _inFlight);
}
