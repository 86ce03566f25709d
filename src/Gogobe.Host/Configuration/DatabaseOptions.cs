namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Database</c>: an existing database, or the folder of the local cluster Gogobe manages.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Gogobe:Database";

    /// <summary>Npgsql connection string; empty means the managed local cluster.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder of the managed local PostgreSQL cluster (used only without a connection string).</summary>
    public string DataDirectory { get; set; } = Path.Combine("data", "pg");
}
