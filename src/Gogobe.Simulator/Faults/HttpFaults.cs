using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gogobe.Simulator.Faults;

/// <summary>
/// The faults a test has asked for (<see cref="PortalSimulator.Faults"/>), applied by a middleware in front of every
/// portal route. The first fault whose path matches and that has times left decides; a request no fault applies to is
/// served normally. Every matching request is counted on every fault it matches, so a test can assert the attempts seen.
/// </summary>
public sealed class HttpFaults
{
    private readonly Lock _lock = new();
    private HttpFault[] _faults = [];

    /// <summary>Adds a fault (applies to requests from now on) and returns it, to read its counts later.</summary>
    public HttpFault Add(HttpFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        fault.Validate();
        lock (_lock)
        {
            _faults = [.. _faults, fault];
        }

        return fault;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _faults = [];
        }
    }

    internal async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var faults = Volatile.Read(ref _faults);
        if (faults.Length == 0)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var pathAndQuery = context.Request.Path.Value + context.Request.QueryString.Value;
        var now = DateTimeOffset.UtcNow;
        HttpFault? chosen = null;
        var matched = new List<HttpFault>();
        foreach (var fault in faults)
        {
            if (!fault.Matches(context.Request.Method, pathAndQuery))
            {
                continue;
            }

            matched.Add(fault);
            // Counted on every matching fault; only the first with times left acts (and uses one of its times).
            fault.Count(now);
            if (chosen is null && fault.TryApply())
            {
                chosen = fault;
            }
        }

        foreach (var fault in matched)
        {
            fault.Enter();
        }

        try
        {
            if (chosen is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            await ApplyAsync(chosen, context, next).ConfigureAwait(false);
        }
        finally
        {
            foreach (var fault in matched)
            {
                fault.Leave();
            }
        }
    }

    private static async Task ApplyAsync(HttpFault fault, HttpContext context, RequestDelegate next)
    {
        var aborted = context.RequestAborted;
        if (fault.DelayBeforeHeaders > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.DelayBeforeHeaders, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up waiting, which is what a slow answer is for
            }
        }

        if (fault.DropConnection)
        {
            context.Abort();
            return;
        }

        if (fault.Status is { } status)
        {
            context.Response.StatusCode = status;
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"simulated fault: {status}", aborted).ConfigureAwait(false);
            return;
        }

        if (fault.StallBodyFor is { } stall)
        {
            var body = context.Response.Body;
            context.Response.Body = new StallingStream(body, stall, aborted);
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client abandoned the stalled body.
            }
            finally
            {
                context.Response.Body = body;
            }

            return;
        }

        await next(context).ConfigureAwait(false);
    }
}
