using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.RegularExpressions;

namespace Gogobe.Scrapers.Ftp;

/// <summary>
/// A small FTP client that only ever speaks explicit TLS (RFC 4217): AUTH TLS before USER, PBSZ 0 and PROT P so
/// listings and files also travel encrypted, passive mode (EPSV, else PASV), binary type, MLSD listings with an
/// NLST + SIZE fallback, RETR as a stream. One instance is one logged-in control connection and runs one command at a
/// time. No FTP library is served from the package registry here, and the platform's FtpWebRequest is obsolete.
/// </summary>
public sealed partial class FtpsClient : IAsyncDisposable
{
    private readonly FtpsConnectionOptions _options;
    private readonly Socket _socket;
    private readonly FtpControlChannel _control;
    private readonly FtpsCertificates _certificates;
    private bool _epsvRefused;
    private bool _mlsdRefused;
    private bool _busy;

    private FtpsClient(FtpsConnectionOptions options, Socket socket, FtpsCertificates certificates)
    {
        _options = options;
        _socket = socket;
        _certificates = certificates;
        _control = new FtpControlChannel(new NetworkStream(socket, ownsSocket: false));
    }

    /// <summary>True for <c>ftps://</c> and <c>ftp://</c> addresses (both mean explicit TLS here: we never log in in clear).</summary>
    public static bool IsFtpAddress(Uri address) =>
        address is { IsAbsoluteUri: true } && (address.Scheme.Equals("ftps", StringComparison.OrdinalIgnoreCase) || address.Scheme.Equals(Uri.UriSchemeFtp, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Connects, upgrades the control connection to TLS and logs in. The password is sent only over TLS: a server
    /// that refuses AUTH TLS is left before USER is sent.
    /// </summary>
    public static async Task<FtpsClient> ConnectAsync(FtpsConnectionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Host);
        ArgumentException.ThrowIfNullOrEmpty(options.User);
        ArgumentNullException.ThrowIfNull(options.Password);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            ReceiveTimeout = (int)options.Timeout.TotalMilliseconds,
            SendTimeout = (int)options.Timeout.TotalMilliseconds,
        };
        FtpsClient client;
        try
        {
            await WithTimeoutAsync<bool>(options, $"FTPS connect to {options.Host}:{options.Port}", async ct =>
            {
                await socket.ConnectAsync(options.Host, options.Port, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
            client = new FtpsClient(options, socket, new FtpsCertificates(options.Host, options.CertificatePin));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        try
        {
            await client.LogInAsync(cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The server's current directory after <see cref="ChangeDirectoryAsync"/> (from PWD).</summary>
    public async Task<string> WorkingDirectoryAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("PWD", cancellationToken).ConfigureAwait(false);
        Expect(reply, "PWD", 257);
        var match = QuotedPath().Match(reply.Text);
        return match.Success ? match.Groups[1].Value.Replace("\"\"", "\"", StringComparison.Ordinal) : reply.Text;
    }

    public async Task ChangeDirectoryAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var reply = await CommandAsync("CWD " + path, cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw new FtpsException($"FTPS: cannot enter folder {path} as user {_options.User}", reply);
        }
    }

    /// <summary>
    /// The current directory's entries: MLSD (names, types and sizes in one exchange); on a server without MLSD,
    /// NLST and then SIZE per name (a name whose SIZE is refused is taken as a folder, not a file).
    /// </summary>
    public async Task<IReadOnlyList<FtpListItem>> ListAsync(CancellationToken cancellationToken)
    {
        if (!_mlsdRefused)
        {
            var lines = await ReadListingAsync("MLSD", cancellationToken).ConfigureAwait(false);
            if (lines is not null)
            {
                return [.. lines.Select(FtpListItem.ParseMlsd).OfType<FtpListItem>().Where(i => i.Name is not ("." or ".."))];
            }

            _mlsdRefused = true;
        }

        var names = await ReadListingAsync("NLST", cancellationToken).ConfigureAwait(false)
            ?? throw new FtpsException($"FTPS: the server at {_options.Host} supports neither MLSD nor NLST.");
        var items = new List<FtpListItem>(names.Count);
        foreach (var listed in names)
        {
            // Some servers answer NLST with paths ("./name", "dir/name"); the entry is the last segment.
            var name = listed[(listed.LastIndexOf('/') + 1)..];
            if (name.Length == 0 || name is "." or "..")
            {
                continue;
            }

            var size = await CommandAsync("SIZE " + name, cancellationToken).ConfigureAwait(false);
            items.Add(size.Code == 213 && long.TryParse(size.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
                ? new FtpListItem(name, IsFile: true, bytes)
                : new FtpListItem(name, IsFile: false, null));
        }

        return items;
    }

    /// <summary>
    /// Starts RETR of <paramref name="name"/> in the current directory and returns its bytes as a stream, read from
    /// the network as the caller reads (never buffered whole). The transfer's final reply is checked at the end of the
    /// stream: a transfer the server reports as failed throws there. With <paramref name="ownsClient"/>, disposing the
    /// stream also closes this client (QUIT).
    /// </summary>
    public async Task<Stream> OpenReadAsync(string name, bool ownsClient, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var data = await OpenDataAsync("RETR " + name, $"FTPS download of {name}", cancellationToken).ConfigureAwait(false)
            ?? throw new FtpsException($"FTPS download of {name} failed: the server sent no data connection.");
        return new FtpsDownloadStream(data, this, name, ownsClient);
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.Connected && !_busy)
        {
            try
            {
                // A polite goodbye, bounded: a dead server must not hold the run.
                using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _control.SendAsync("QUIT", quit.Token).ConfigureAwait(false);
                await _control.ReadReplyAsync(quit.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The session is over either way.
            }
        }

        await _control.Stream.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
    }

    /// <summary>The synchronous goodbye, for a stream disposed synchronously; bounded by a short receive timeout.</summary>
    internal void Close()
    {
        if (_socket.Connected && !_busy)
        {
            try
            {
                _socket.ReceiveTimeout = 5_000;
                _control.Send("QUIT");
                _control.ReadReply();
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // The session is over either way.
            }
        }

        _control.Stream.Dispose();
        _socket.Dispose();
    }

    private async Task LogInAsync(CancellationToken cancellationToken)
    {
        var what = $"FTPS connect to {_options.Host}:{_options.Port}";
        var greeting = await WithTimeoutAsync(what, _control.ReadReplyAsync, cancellationToken).ConfigureAwait(false);
        Expect(greeting, what, 220);

        var auth = await CommandAsync("AUTH TLS", cancellationToken).ConfigureAwait(false);
        if (auth.Code != 234)
        {
            throw new FtpsException(
                $"FTPS: {_options.Host}:{_options.Port} does not offer explicit TLS (AUTH TLS), so the password of user {_options.User} is not sent in clear", auth);
        }

        var tls = new SslStream(_control.Stream, leaveInnerStreamOpen: false);
        await HandshakeAsync(tls, "control connection", cancellationToken).ConfigureAwait(false);
        _control.Upgrade(tls);

        var user = await CommandAsync("USER " + _options.User, cancellationToken).ConfigureAwait(false);
        if (user.IsIntermediate)
        {
            user = await CommandAsync("PASS " + _options.Password, cancellationToken).ConfigureAwait(false);
        }

        if (!user.IsSuccess)
        {
            throw new FtpsException($"FTPS login failed for user {_options.User}", user);
        }

        // Protect the data connections too (RFC 4217: PBSZ must precede PROT).
        Expect(await CommandAsync("PBSZ 0", cancellationToken).ConfigureAwait(false), "PBSZ 0", 200);
        Expect(await CommandAsync("PROT P", cancellationToken).ConfigureAwait(false), "PROT P", 200);
        Expect(await CommandAsync("TYPE I", cancellationToken).ConfigureAwait(false), "TYPE I", 200);
    }

    private async Task HandshakeAsync(SslStream tls, string which, CancellationToken cancellationToken)
    {
        try
        {
            await WithTimeoutAsync<bool>($"FTPS TLS handshake ({which}) with {_options.Host}", async ct =>
            {
                await tls.AuthenticateAsClientAsync(_certificates.Options(), ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException ex)
        {
            throw new FtpsException($"FTPS: TLS with {_options.Host} failed on the {which}: {_certificates.Refusal ?? ex.Message}", ex);
        }
    }

    private Task<FtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        // The password never reaches an error message.
        var what = command.StartsWith("PASS ", StringComparison.Ordinal) ? "FTPS PASS" : $"FTPS {command}";
        return WithTimeoutAsync(what, async ct =>
        {
            await _control.SendAsync(command, ct).ConfigureAwait(false);
            return await _control.ReadReplyAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>Runs one exchange under <see cref="FtpsConnectionOptions.Timeout"/>; a timeout becomes a <see cref="TimeoutException"/> naming it.</summary>
    internal Task<T> WithTimeoutAsync<T>(string what, Func<CancellationToken, Task<T>> exchange, CancellationToken cancellationToken) =>
        WithTimeoutAsync(_options, what, exchange, cancellationToken);

    private static async Task<T> WithTimeoutAsync<T>(
        FtpsConnectionOptions options, string what, Func<CancellationToken, Task<T>> exchange, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        try
        {
            return await exchange(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{what}: no answer from {options.Host}:{options.Port} within {options.Timeout.TotalSeconds:0.#} s.");
        }
    }

    private static void Expect(FtpReply reply, string what, int code)
    {
        if (reply.Code != code)
        {
            throw new FtpsException($"FTPS {what} failed (expected {code})", reply);
        }
    }

    [GeneratedRegex("^\"((?:[^\"]|\"\")*)\"")]
    private static partial Regex QuotedPath();
}
