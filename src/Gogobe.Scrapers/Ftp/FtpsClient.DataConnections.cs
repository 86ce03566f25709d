using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Gogobe.Scrapers.Ftp;

/// <summary>Data connections: passive endpoints, listings, opening a transfer, ending it and reading its final reply.</summary>
public sealed partial class FtpsClient
{
    /// <summary>
    /// Ends a finished data connection the way servers expect before they send the final reply: TLS close_notify, then
    /// the TCP close. A peer that already went away is not an error here; the final reply tells how the transfer went.
    /// </summary>
    internal static async Task CloseDataAsync(SslStream data)
    {
        try
        {
            using var shutdown = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await data.ShutdownAsync().WaitAsync(shutdown.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Closing anyway.
        }

        await data.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads the final reply of a finished transfer (226); throws when the server reports it failed.</summary>
    internal async Task CompleteTransferAsync(string what, CancellationToken cancellationToken)
    {
        var reply = await WithTimeoutAsync(what, _control.ReadReplyAsync, cancellationToken).ConfigureAwait(false);
        _busy = false;
        if (!reply.IsSuccess)
        {
            throw new FtpsException($"{what} failed", reply);
        }
    }

    /// <summary>The synchronous twin of <see cref="CompleteTransferAsync"/> for synchronous readers (the socket's ReceiveTimeout bounds it).</summary>
    internal void CompleteTransfer(string what)
    {
        var reply = _control.ReadReply();
        _busy = false;
        if (!reply.IsSuccess)
        {
            throw new FtpsException($"{what} failed", reply);
        }
    }

    /// <summary>An abandoned transfer leaves the control connection mid-command: it is not reused, only closed.</summary>
    internal void AbandonTransfer()
    {
        _socket.Dispose();
    }

    /// <summary>Runs a listing command over a data connection; null when the server does not know the command.</summary>
    private async Task<List<string>?> ReadListingAsync(string command, CancellationToken cancellationToken)
    {
        var data = await OpenDataAsync(command, $"FTPS {command} listing", cancellationToken, unknownCommandIsNull: true).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        var lines = new List<string>();
        try
        {
            using var reader = new StreamReader(data, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            while (await WithTimeoutAsync($"FTPS {command} listing", ct => reader.ReadLineAsync(ct).AsTask(), cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
            }
        }
        finally
        {
            await CloseDataAsync(data).ConfigureAwait(false);
        }

        await CompleteTransferAsync($"FTPS {command} listing", cancellationToken).ConfigureAwait(false);
        return lines;
    }

    /// <summary>
    /// Opens a passive data connection, sends <paramref name="command"/>, waits for 150/125, then secures the data
    /// connection (PROT P). Null, with <paramref name="unknownCommandIsNull"/>, when the server does not implement
    /// the command (500/502/504).
    /// </summary>
    private async Task<SslStream?> OpenDataAsync(string command, string what, CancellationToken cancellationToken, bool unknownCommandIsNull = false)
    {
        if (_busy)
        {
            throw new InvalidOperationException("An FTPS client runs one transfer at a time; finish reading the previous one first.");
        }

        var endpoint = await PassiveEndpointAsync(cancellationToken).ConfigureAwait(false);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            ReceiveTimeout = (int)_options.Timeout.TotalMilliseconds,
            SendTimeout = (int)_options.Timeout.TotalMilliseconds,
        };
        SslStream? tls = null;
        try
        {
            await WithTimeoutAsync<bool>(what, async ct =>
            {
                await socket.ConnectAsync(endpoint, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
            if (unknownCommandIsNull && reply.Code is 500 or 502 or 504)
            {
                socket.Dispose();
                return null;
            }

            if (!reply.IsPreliminary)
            {
                throw new FtpsException($"{what} failed", reply);
            }

            _busy = true;
            tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await HandshakeAsync(tls, "data connection", cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            if (_busy)
            {
                AbandonTransfer();
            }

            throw;
        }
    }

    /// <summary>EPSV (RFC 2428), else PASV. PASV's address is ignored for the control connection's (NAT-safe, no bounce).</summary>
    private async Task<IPEndPoint> PassiveEndpointAsync(CancellationToken cancellationToken)
    {
        var server = ((IPEndPoint)_socket.RemoteEndPoint!).Address;
        if (!_epsvRefused)
        {
            var epsv = await CommandAsync("EPSV", cancellationToken).ConfigureAwait(false);
            if (epsv.Code == 229 && EpsvPort().Match(epsv.Text) is { Success: true } match
                && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
            {
                return new IPEndPoint(server, port);
            }

            _epsvRefused = true;
        }

        var pasv = await CommandAsync("PASV", cancellationToken).ConfigureAwait(false);
        var numbers = PasvNumbers().Match(pasv.Text);
        if (pasv.Code != 227 || !numbers.Success)
        {
            throw new FtpsException($"FTPS: {_options.Host} offers no passive mode", pasv);
        }

        var high = int.Parse(numbers.Groups[5].Value, CultureInfo.InvariantCulture);
        var low = int.Parse(numbers.Groups[6].Value, CultureInfo.InvariantCulture);
        return new IPEndPoint(server, (high * 256) + low);
    }

    [GeneratedRegex(@"\(\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})\s*\)?")]
    private static partial Regex PasvNumbers();

    [GeneratedRegex(@"\(\|\|\|(\d{1,5})\|\)")]
    private static partial Regex EpsvPort();
}
