namespace Gogobe.Storage;

/// <summary>The local PostgreSQL cluster could not be found, initialised, started or stopped; the message says why and what to do.</summary>
public sealed class PostgresClusterException : Exception
{
    public PostgresClusterException()
    {
    }

    public PostgresClusterException(string message)
        : base(message)
    {
    }

    public PostgresClusterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
