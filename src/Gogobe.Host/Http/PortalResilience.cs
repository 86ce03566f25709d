using System.Net.Http.Headers;
using Gogobe.Host.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Gogobe.Host.Http;

/// <summary>
/// The resilience pipeline of one portal host, outermost first: total timeout, jittered exponential retries (honouring
/// <c>Retry-After</c>, capped), circuit breaker, per-attempt timeout. It covers getting the response headers only: the
/// body streams afterwards under <see cref="IdleTimeoutStream"/>, so no body is ever buffered for a retry.
/// </summary>
internal static class PortalResilience
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, PortalHttpOptions options, string host, ILogger logger, TimeProvider time)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                // Our own generator below: the built-in one would honour any Retry-After, however long.
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, time)),
                OnRetry = args =>
                {
                    HttpLog.Retrying(logger, host, Describe(args.Outcome), args.AttemptNumber + 1, options.MaxRetries, args.RetryDelay.TotalSeconds);
                    return default;
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            FailureRatio = options.CircuitFailureRatio,
            MinimumThroughput = options.CircuitMinimumThroughput,
            SamplingDuration = options.CircuitSamplingDuration,
            BreakDuration = options.CircuitBreakDuration,
            OnOpened = args =>
            {
                HttpLog.CircuitOpened(logger, host, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                return default;
            },
            OnClosed = _ =>
            {
                HttpLog.CircuitClosed(logger, host);
                return default;
            },
        });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>The wait a 429/503 asks for (<c>Retry-After</c> as seconds or a date), at most <paramref name="cap"/>; null: the backoff decides.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider time)
    {
        var header = response?.Headers.RetryAfter;
        TimeSpan? wait = header switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => null,
        };
        return wait is null ? null : wait < TimeSpan.Zero ? TimeSpan.Zero : wait > cap ? cap : wait;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? $"{ex.GetType().Name}: {ex.Message}"
        : outcome.Result is { } response ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{RetryAfterText(response.Headers.RetryAfter)}"
        : "no outcome";

    private static string RetryAfterText(RetryConditionHeaderValue? retryAfter) => retryAfter is null ? "" : $" (Retry-After: {retryAfter})";
}
