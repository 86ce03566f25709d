using System.CommandLine;

namespace Gogobe.Host.Cli;

/// <summary>Options shared by the verbs that touch the database.</summary>
internal static class CommonOptions
{
    public static Option<string> DataDir { get; } = new("--data-dir")
    {
        Description = "Folder of the local PostgreSQL cluster Gogobe manages when no database is configured (default: GOGOBE_DATA_DIR, else ./data/pg).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GOGOBE_DATA_DIR") is { Length: > 0 } dir ? dir : Path.Combine("data", "pg"),
    };

    public static Option<string?> Database { get; } = new("--db")
    {
        Description = "Npgsql connection string of an existing database (default: the GOGOBE_DB environment variable; unset = the managed local cluster).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("GOGOBE_DB"),
    };

    public static Option<bool> Demo { get; } = new("--demo")
    {
        Description = "Use the built-in portal simulator instead of the real portals, and the separate gogobe_demo database.",
    };

    /// <summary>
    /// The database to use: an explicit connection string's own database (the operator chose it), else
    /// <c>gogobe</c> in the managed cluster, or <c>gogobe_demo</c> so the demo never mixes with real prices.
    /// </summary>
    public static string? DatabaseName(string? connectionString, bool demo) =>
        !string.IsNullOrWhiteSpace(connectionString) ? null : demo ? "gogobe_demo" : "gogobe";
}
