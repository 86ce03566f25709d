using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// A PostgreSQL cluster the application runs itself: initdb on first use, pg_ctl start on a free loopback port,
/// pg_ctl stop on dispose. When a server already runs on the data directory, it is reused and left running.
/// When this process is root, PostgreSQL's programs run as the <c>postgres</c> user (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>The superuser initdb creates; the app connects as this role.</summary>
    public const string UserName = "gogobe";

    /// <summary>The file, inside the data directory, that holds the superuser's generated password.</summary>
    public const string PasswordFileName = "gogobe.password";

    private const string LogFileName = "pg.log";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;
    private readonly bool _asPostgres;
    private readonly string _password;
    private readonly ILogger _logger;
    private bool _running;

    private PostgresCluster(PostgresBinaries binaries, bool asPostgres, string dataDirectory, string password, int port, bool owned, ILogger logger)
    {
        _binaries = binaries;
        _asPostgres = asPostgres;
        DataDirectory = dataDirectory;
        _password = password;
        Port = port;
        Owned = owned;
        _logger = logger;
        _running = true;
    }

    public string DataDirectory { get; }

    /// <summary>The server's log file (inside the data directory, where the postgres user can always write).</summary>
    public string LogFile => Path.Combine(DataDirectory, LogFileName);

    public int Port { get; private set; }

    /// <summary>True when this object started the server and so stops it on dispose; false when it reused a running server.</summary>
    public bool Owned { get; private set; }

    /// <summary>Initialises the data directory if needed, then reuses the server running on it or starts one.</summary>
    public static async Task<PostgresCluster> StartAsync(string dataDirectory, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(logger);

        var dir = Path.GetFullPath(dataDirectory);
        var binaries = await PostgresBinaries.FindAsync(cancellationToken).ConfigureAwait(false);
        logger.FoundBinaries(binaries.InitDb, binaries.PgCtl);
        var asPostgres = ExternalProcess.IsRoot;

        if (!File.Exists(Path.Combine(dir, "PG_VERSION")))
        {
            await InitializeAsync(binaries, dir, asPostgres, logger, cancellationToken).ConfigureAwait(false);
        }

        var password = await ReadPasswordAsync(dir, cancellationToken).ConfigureAwait(false);

        if (ReadPidFilePort(dir) is { } runningPort && await PortAnswersAsync(runningPort, cancellationToken).ConfigureAwait(false))
        {
            logger.ReusingServer(dir, runningPort);
            return new PostgresCluster(binaries, asPostgres, dir, password, runningPort, owned: false, logger);
        }

        var cluster = new PostgresCluster(binaries, asPostgres, dir, password, port: 0, owned: true, logger) { _running = false };
        await cluster.StartOnFreePortAsync(cancellationToken).ConfigureAwait(false);
        return cluster;
    }

    /// <summary>A connection string for the given database on this server, as the <see cref="UserName"/> superuser.</summary>
    public string ConnectionString(string database)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = UserName,
            Password = _password,
            Database = database,
        }.ToString();
    }

    /// <summary>Stops the server (fast shutdown: open sessions are ended, data stays durable).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _logger.StoppingServer(Port, DataDirectory);
        await ExternalProcess.RunCheckedAsync(
            _binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w"], _asPostgres, "pg_ctl stop", cancellationToken).ConfigureAwait(false);
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port. The cluster is then owned by this object.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        await StartServerAsync(Port, cancellationToken).ConfigureAwait(false);
        Owned = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (Owned && _running)
        {
            // Dispose has no token; a bounded wait keeps a stuck shutdown from hanging the process exit.
            using var timeout = new CancellationTokenSource(StopTimeout);
            await StopAsync(timeout.Token).ConfigureAwait(false);
        }
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = FreeLoopbackPort();
            try
            {
                await StartServerAsync(port, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (PostgresClusterException e) when (attempt < attempts && e.Message.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
            {
                // Another process took the port between our probe and PostgreSQL's bind.
                _logger.PortTaken(port);
            }
        }
    }

    private async Task StartServerAsync(int port, CancellationToken cancellationToken)
    {
        _logger.StartingServer(port, DataDirectory, LogFile);
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
        var result = await ExternalProcess.RunAsync(
            _binaries.PgCtl, ["start", "-w", "-t", "120", "-D", DataDirectory, "-l", LogFile, "-o", options], _asPostgres, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new PostgresClusterException(
                $"pg_ctl start failed for {DataDirectory} (exit code {result.ExitCode}): {result.StandardError.Trim()}{Environment.NewLine}" +
                $"Server log ({LogFile}):{Environment.NewLine}{await ReadLogTailAsync(cancellationToken).ConfigureAwait(false)}");
        }

        Port = port;
        _running = true;
    }

    private async Task<string> ReadLogTailAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(LogFile))
        {
            return "(no log file)";
        }

        var text = await File.ReadAllTextAsync(LogFile, cancellationToken).ConfigureAwait(false);
        return text.Length <= 4000 ? text : text[^4000..];
    }

    private static async Task InitializeAsync(PostgresBinaries binaries, string dir, bool asPostgres, ILogger logger, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dir);
        if (Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new PostgresClusterException($"The data directory {dir} is not empty and is not a PostgreSQL data directory (no PG_VERSION). Point Gogobe at an empty or new directory.");
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (asPostgres)
        {
            await EnsurePostgresCanTraverseAsync(dir, cancellationToken).ConfigureAwait(false);
            await ChownToPostgresAsync(dir, cancellationToken).ConfigureAwait(false);
        }

        logger.InitializingCluster(dir);
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

        // initdb wants an empty directory, so the password file lives in the temp folder just long enough.
        var pwFile = Path.Combine(Path.GetTempPath(), "gogobe-initdb-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        try
        {
            await WritePrivateFileAsync(pwFile, password, asPostgres, cancellationToken).ConfigureAwait(false);
            await ExternalProcess.RunCheckedAsync(
                binaries.InitDb,
                ["-D", dir, "-U", UserName, "--auth=scram-sha-256", "--pwfile=" + pwFile, "--encoding=UTF8", "--no-locale"],
                asPostgres,
                $"initdb of {dir}",
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(pwFile);
        }

        await WritePrivateFileAsync(Path.Combine(dir, PasswordFileName), password, asPostgres, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WritePrivateFileAsync(string path, string content, bool asPostgres, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteAsync(content.AsMemory(), cancellationToken).ConfigureAwait(false);
            }
        }

        if (asPostgres)
        {
            await ChownToPostgresAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> ReadPasswordAsync(string dir, CancellationToken cancellationToken)
    {
        var path = Path.Combine(dir, PasswordFileName);
        if (!File.Exists(path))
        {
            throw new PostgresClusterException(
                $"{dir} is a PostgreSQL data directory but has no {PasswordFileName}; it was not created by Gogobe. " +
                "Use an empty directory, or set GOGOBE_DB to a connection string for that server.");
        }

        return (await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false)).Trim();
    }

    /// <summary>The port in line 4 of postmaster.pid, when the file exists.</summary>
    private static int? ReadPidFilePort(string dir)
    {
        var pidFile = Path.Combine(dir, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length >= 4 && int.TryParse(lines[3].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ? port : null;
        }
        catch (IOException)
        {
            // The server is writing or removing the file right now; treat as not running and let pg_ctl decide.
            return null;
        }
    }

    private static async Task<bool> PortAnswersAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>
    /// The postgres user must be able to enter every parent of the data directory; root-owned homes (0700)
    /// are the usual trap. Checked up front so the error names the directory instead of a vague initdb failure.
    /// </summary>
    private static async Task EnsurePostgresCanTraverseAsync(string dir, CancellationToken cancellationToken)
    {
        for (var parent = Path.GetDirectoryName(dir); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (OperatingSystem.IsWindows() || (File.GetUnixFileMode(parent) & UnixFileMode.OtherExecute) != 0)
            {
                continue;
            }

            // Not world-traversable: postgres may still get in as owner or group member; ask the system.
            var test = await ExternalProcess.RunAsync("test", ["-x", parent], runAsPostgres: true, cancellationToken).ConfigureAwait(false);
            if (test.ExitCode != 0)
            {
                throw new PostgresClusterException(
                    $"PostgreSQL runs as the '{ExternalProcess.PostgresUser}' user (it refuses root), and that user cannot enter {parent}. " +
                    $"Choose a data folder outside it (for example under /var/lib or /tmp), or allow traversal: `chmod o+x {parent}`.");
            }
        }
    }

    private static async Task ChownToPostgresAsync(string path, CancellationToken cancellationToken) =>
        await ExternalProcess.RunCheckedAsync("chown", [ExternalProcess.PostgresUser + ":", path], runAsPostgres: false, $"chown of {path}", cancellationToken).ConfigureAwait(false);
}
