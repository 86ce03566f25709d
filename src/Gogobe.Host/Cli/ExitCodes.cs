namespace Gogobe.Host.Cli;

/// <summary>The exit codes of the <c>gogobe</c> verbs, in one place so scripts and docs can rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Everything done.</summary>
    public const int Success = 0;

    /// <summary>The run finished, but a chain or a file failed.</summary>
    public const int Failures = 1;

    /// <summary>Bad arguments or configuration.</summary>
    public const int Usage = 2;

    /// <summary>The database could not be opened.</summary>
    public const int Database = 3;

    /// <summary>The server could not listen.</summary>
    public const int Listen = 4;

    /// <summary>Stopped by a signal, cleanly: open work rolled back and marked, nothing half-written. Run again to finish.</summary>
    public const int Stopped = 5;


    /// <summary>Stopped by a second signal or at the end of the grace period, without waiting for open work to wind down.</summary>
    public const int Forced = 6;
}
