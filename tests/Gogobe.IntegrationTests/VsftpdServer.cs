using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gogobe.IntegrationTests;

/// <summary>One login of the test FTP server: a Cerberus user name, its password and the folder its files are in.</summary>
internal sealed record FtpUser(string Name, string Password, string Folder = "/");

/// <summary>
/// A real vsftpd on 127.0.0.1 for one test: its own config, certificate (self-signed, made by openssl), PAM service
/// and directories under a temp folder; explicit TLS required for logins and data (unless started plain); passive
/// ports on loopback. Logins are local system users with the Cerberus names (vsftpd authenticates through PAM, and
/// pam_unix is the one module that works reliably under vsftpd here: pam_exec deadlocks vsftpd's SIGCHLD handling),
/// created for the test and deleted again. Needs root and <c>scripts/setup.sh</c> (vsftpd, openssl); fails, never
/// skips, without them.
/// </summary>
internal sealed class VsftpdServer : IAsyncDisposable
{
    private const string Vsftpd = "/usr/sbin/vsftpd";
    private readonly Process _process;
    private readonly string _pamService;
    private readonly List<string> _createdUsers;
    private readonly string _directory;

    private VsftpdServer(Process process, string directory, int port, string thumbprint, string pamService, List<string> createdUsers)
    {
        _process = process;
        _directory = directory;
        Port = port;
        CertificateSha256 = thumbprint;
        _pamService = pamService;
        _createdUsers = createdUsers;
    }

    public int Port { get; }

    /// <summary>SHA-256 of the server's self-signed certificate: the pin a client needs to trust it.</summary>
    public string CertificateSha256 { get; }

    /// <summary><c>ftps://127.0.0.1:port/</c></summary>
    public Uri Address => new($"ftps://127.0.0.1:{Port}/");

    /// <summary>vsftpd's protocol log (every command and reply, passwords masked).</summary>
    public string LogPath => Path.Combine(_directory, "vsftpd.log");

    /// <summary>Where a user's files are served from (its root plus its folder).</summary>
    public string FilesOf(FtpUser user) => Path.Combine(_directory, "home", user.Name) + user.Folder.TrimEnd('/');

    public static async Task<VsftpdServer> StartAsync(IReadOnlyList<FtpUser> users, bool tls = true)
    {
        if (!File.Exists(Vsftpd) || FindOnPath("openssl") is null)
        {
            throw new InvalidOperationException($"The FTPS tests need vsftpd ({Vsftpd}) and openssl: run scripts/setup.sh.");
        }

        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("The FTPS tests need Linux and root: they create local users for vsftpd's logins.");
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        var directory = Path.Combine(Path.GetTempPath(), "gogobe-ftps-" + id);
        MakeDirectory(directory);
        MakeDirectory(Path.Combine(directory, "empty"));
        MakeDirectory(Path.Combine(directory, "home"));
        var created = new List<string>();
        var pamService = "gogobe-ftps-" + id;
        try
        {
            await RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", Path.Combine(directory, "key.pem"), "-out", Path.Combine(directory, "cert.pem")]);
            using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, "cert.pem"));
            var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);

            foreach (var user in users)
            {
                var home = Path.Combine(directory, "home", user.Name);
                MakeDirectory(home);
                MakeDirectory(home + user.Folder.TrimEnd('/'));
                if (await RunAsync("id", ["-u", user.Name], check: false) != 0)
                {
                    await RunAsync("useradd", ["--badname", "-M", "-N", "-d", home, "-s", "/usr/sbin/nologin", user.Name]);
                    created.Add(user.Name);
                }
                else
                {
                    // Left over from an interrupted run: take it over (it is one of ours by name) and delete it after.
                    created.Add(user.Name);
                }

                if (user.Password.Length == 0)
                {
                    await RunAsync("passwd", ["-d", user.Name]); // the usual Cerberus login: an empty password
                }
                else
                {
                    await RunAsync("chpasswd", [], input: $"{user.Name}:{user.Password}\n");
                }
            }

            // Only pam_unix with nullok (empty passwords are the Cerberus norm); no ftpusers list, no shell check.
            await File.WriteAllTextAsync(Path.Combine("/etc/pam.d", pamService),
                "auth required pam_unix.so nullok\naccount required pam_unix.so\nsession required pam_permit.so\n");

            var port = FreePort();
            var (pasvMin, pasvMax) = FreePortRange(8);
            var config = Path.Combine(directory, "vsftpd.conf");
            await File.WriteAllTextAsync(config, $"""
                listen=YES
                listen_address=127.0.0.1
                listen_port={port}
                background=NO
                anonymous_enable=NO
                local_enable=YES
                write_enable=NO
                user_sub_token=$USER
                local_root={directory}/home/$USER
                chroot_local_user=YES
                secure_chroot_dir={directory}/empty
                pam_service_name={pamService}
                ssl_enable={(tls ? "YES" : "NO")}
                rsa_cert_file={directory}/cert.pem
                rsa_private_key_file={directory}/key.pem
                force_local_logins_ssl=YES
                force_local_data_ssl=YES
                require_ssl_reuse=NO
                pasv_enable=YES
                pasv_address=127.0.0.1
                pasv_min_port={pasvMin}
                pasv_max_port={pasvMax}
                seccomp_sandbox=NO
                isolate=NO
                isolate_network=NO
                delay_failed_login=0
                xferlog_enable=NO
                dual_log_enable=YES
                log_ftp_protocol=YES
                vsftpd_log_file={directory}/vsftpd.log

                """);

            var process = Process.Start(new ProcessStartInfo(Vsftpd, config)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("vsftpd did not start.");
            var server = new VsftpdServer(process, directory, port, thumbprint, pamService, created);
            await server.WaitUntilListeningAsync();
            return server;
        }
        catch
        {
            await CleanUpAsync(directory, pamService, created);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        await CleanUpAsync(_directory, _pamService, _createdUsers);
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            if (_process.HasExited)
            {
                var output = await _process.StandardOutput.ReadToEndAsync() + await _process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"vsftpd exited with {_process.ExitCode}: {output.Trim()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"vsftpd did not listen on 127.0.0.1:{Port} within 10 s.");
    }

    private static async Task CleanUpAsync(string directory, string pamService, List<string> users)
    {
        foreach (var user in users)
        {
            await RunAsync("userdel", [user], check: false);
        }

        File.Delete(Path.Combine("/etc/pam.d", pamService));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Readable by everyone: vsftpd serves the files as the logged-in (unprivileged) user.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void MakeDirectory(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32("755", 8));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A run of free loopback ports for passive data connections (checked now; nothing else here binds them).</summary>
    private static (int Min, int Max) FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(42_000, 60_000);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = start; port < start + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }

                return (start, start + count - 1);
            }
            catch (SocketException)
            {
                // Taken: try another range.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
                listeners.ForEach(l => l.Dispose());
            }
        }

        throw new InvalidOperationException("No free range of loopback ports for vsftpd's passive mode.");
    }

    private static async Task<int> RunAsync(string program, string[] arguments, bool check = true, string? input = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await stdout + await stderr).Trim()}");
        }

        return process.ExitCode;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin").Append("/usr/sbin")
            .Select(d => Path.Combine(d, program))
            .FirstOrDefault(File.Exists);
}
