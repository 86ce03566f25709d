namespace Gogobe.Core.Scraping;

/// <summary>
/// A portal answered, but not in the shape its family reads: a selector, key or script that is not there, a page that
/// is neither of the pages expected. It fails the chain with what was missing and where, so a portal that changed
/// is never mistaken for one that published nothing. <see cref="Step"/> names the step (login, listing, download).
/// </summary>
public sealed class PortalChangedException : Exception
{
    public PortalChangedException()
    {
    }

    public PortalChangedException(string message)
        : base(message)
    {
    }

    public PortalChangedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="chain">The chain whose portal it is.</param>
    /// <param name="step">The step that found it: "login", "listing", "download".</param>
    /// <param name="what">What was read, with its address ("the listing page https://…").</param>
    /// <param name="missing">What it lacks ("no table.webgrid").</param>
    public PortalChangedException(Chain chain, string step, string what, string missing, Exception? innerException = null)
        : base($"{chain}: {step}: {what} has {missing}; the portal may have changed.", innerException)
    {
        Step = step;
    }

    /// <summary>The step that found the change, when known.</summary>
    public string? Step { get; }
}
