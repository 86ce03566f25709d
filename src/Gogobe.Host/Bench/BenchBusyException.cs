namespace Gogobe.Host.Bench;

/// <summary>
/// Another benchmark holds the same server's benchmark databases: both would drop and re-create the same databases under
/// each other's runs, so the second one refuses to start.
/// </summary>
public sealed class BenchBusyException : InvalidOperationException
{
    public BenchBusyException()
    {
    }

    public BenchBusyException(string message)
        : base(message)
    {
    }

    public BenchBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
