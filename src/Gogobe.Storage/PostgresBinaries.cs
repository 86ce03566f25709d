using System.Globalization;

namespace Gogobe.Storage;

/// <summary>Finds the installed PostgreSQL server programs (initdb, pg_ctl).</summary>
internal sealed record PostgresBinaries(string InitDb, string PgCtl)
{
    private static readonly string Exe = OperatingSystem.IsWindows() ? ".exe" : "";

    public static async Task<PostgresBinaries> FindAsync(CancellationToken cancellationToken)
    {
        var tried = new List<string>();

        // 1. pg_config knows where its server binaries are (when it belongs to a server install).
        var pgConfig = FindOnPath("pg_config");
        if (pgConfig is not null)
        {
            var bindir = await TryPgConfigBindirAsync(pgConfig, cancellationToken).ConfigureAwait(false);
            if (bindir is not null && TryDirectory(bindir, tried) is { } fromConfig)
            {
                return fromConfig;
            }
        }

        // 2. Debian/Ubuntu install every major version side by side; take the highest.
        foreach (var dir in VersionedDirectories("/usr/lib/postgresql", "bin"))
        {
            if (TryDirectory(dir, tried) is { } found)
            {
                return found;
            }
        }

        // 3. Homebrew keeps versioned kegs out of PATH.
        foreach (var root in new[] { "/opt/homebrew/opt", "/usr/local/opt" })
        {
            foreach (var dir in BrewDirectories(root))
            {
                if (TryDirectory(dir, tried) is { } found)
                {
                    return found;
                }
            }
        }

        // 4. PATH.
        var initdb = FindOnPath("initdb");
        var pgCtl = FindOnPath("pg_ctl");
        if (initdb is not null && pgCtl is not null)
        {
            return new PostgresBinaries(initdb, pgCtl);
        }

        tried.Add("PATH");
        throw new PostgresClusterException(
            "PostgreSQL server programs (initdb, pg_ctl) were not found (looked in: " + string.Join(", ", tried) + "). " +
            "Install PostgreSQL: on Debian/Ubuntu `sudo apt-get install -y postgresql`, on macOS `brew install postgresql@15`, " +
            "on Windows the installer from https://www.postgresql.org/download/ — or set GOGOBE_DB to an existing server's connection string.");
    }

    private static PostgresBinaries? TryDirectory(string dir, List<string> tried)
    {
        tried.Add(dir);
        var initdb = Path.Combine(dir, "initdb" + Exe);
        var pgCtl = Path.Combine(dir, "pg_ctl" + Exe);
        return File.Exists(initdb) && File.Exists(pgCtl) ? new PostgresBinaries(initdb, pgCtl) : null;
    }

    private static IEnumerable<string> VersionedDirectories(string root, string bin)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root)
            .Select(d => (Dir: d, Version: ParseVersion(Path.GetFileName(d))))
            .Where(d => d.Version is not null)
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Dir, bin));
    }

    private static IEnumerable<string> BrewDirectories(string root)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }

        return Directory.EnumerateDirectories(root, "postgresql@*")
            .Select(d => (Dir: d, Version: ParseVersion(Path.GetFileName(d)["postgresql@".Length..])))
            .Where(d => d.Version is not null)
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Dir, "bin"));
    }

    private static decimal? ParseVersion(string text) =>
        decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) ? v : null;

    internal static string? FindOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program + Exe);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static async Task<string?> TryPgConfigBindirAsync(string pgConfig, CancellationToken cancellationToken)
    {
        try
        {
            var result = await ExternalProcess.RunAsync(pgConfig, ["--bindir"], runAsPostgres: false, cancellationToken).ConfigureAwait(false);
            var dir = result.StandardOutput.Trim();
            return result.ExitCode == 0 && dir.Length > 0 ? dir : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config exists but cannot run (wrong architecture, no permission): fall through to the other places.
            return null;
        }
    }
}
