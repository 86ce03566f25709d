using Gogobe.Host.Configuration;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Gogobe.Host.Http;

/// <summary>
/// Outermost handler of the shared portal pipeline: takes the host's slot and politeness turn (<see cref="HostThrottle"/>)
/// for the whole request, retries included, and keeps it until the body is disposed; wraps the body in its idle timeout;
/// and turns the resilience pipeline's own exceptions into the sentences an operator reads in the file log.
/// </summary>
internal sealed class HostThrottleHandler(HostThrottle throttle, PortalHttpOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var address = request.RequestUri ?? throw new InvalidOperationException("A portal request needs an absolute address.");
        var slot = await throttle.AcquireAsync(address.Authority, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            slot.Dispose();
            throw new HttpRequestException(
                $"{address.Authority}: circuit open, not calling {address} — too many of this host's recent requests failed " +
                $"(Gogobe:Http:CircuitFailureRatio {options.CircuitFailureRatio:0.##}); calls resume after {options.CircuitBreakDuration.TotalSeconds:0.###} s",
                ex);
        }
        catch (TimeoutRejectedException ex)
        {
            slot.Dispose();
            var which = ex.Timeout == options.TotalTimeout && options.TotalTimeout != options.AttemptTimeout
                ? "Gogobe:Http:TotalTimeout, all attempts together"
                : $"Gogobe:Http:AttemptTimeout, each of {options.MaxRetries + 1} attempts";
            throw new TimeoutException($"no response from {address} within {ex.Timeout.TotalSeconds:0.###} s ({which})", ex);
        }
        catch
        {
            slot.Dispose();
            throw;
        }

        response.Content = new GuardedContent(response.Content, options.BodyIdleTimeout, address, slot);
        return response;
    }
}
