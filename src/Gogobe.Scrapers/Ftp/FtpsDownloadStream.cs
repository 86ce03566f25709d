using System.Net.Security;
using Gogobe.Core.Files;

namespace Gogobe.Scrapers.Ftp;

/// <summary>
/// A file's bytes as the TLS data connection delivers them. At the end of the data it reads the transfer's final
/// reply, so a transfer the server aborted (426, 451) fails here instead of passing as a short file. Each read is
/// bounded by the client's timeout. Like every FTPS client, it closes its end of the data connection before asking for
/// the final reply: vsftpd (and others) wait for that close before they send 226. Disposed early, the half-read transfer is abandoned with its control connection.
/// </summary>
internal sealed class FtpsDownloadStream(SslStream data, FtpsClient client, string name, bool ownsClient) : ReadOnlyStream(data)
{
    private bool _completed;
    private bool _finished;

    public override int Read(Span<byte> buffer)
    {
        if (_completed)
        {
            return 0; // the data connection is closed once its end was seen
        }

        // The data socket's ReceiveTimeout bounds a synchronous read.
        var read = Inner.Read(buffer);
        if (read == 0 && buffer.Length > 0 && !_completed)
        {
            // The server sends 226 only once we have closed our end of the data connection.
            _completed = true;
            data.Dispose();
            client.CompleteTransfer($"FTPS download of {name}");
        }

        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return 0;
        }

        var read = await client.WithTimeoutAsync($"FTPS download of {name}", ct => Inner.ReadAsync(buffer, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        if (read == 0 && buffer.Length > 0 && !_completed)
        {
            // The server sends 226 only once we have closed our end of the data connection (TLS close_notify first).
            _completed = true;
            await FtpsClient.CloseDataAsync(data).ConfigureAwait(false);
            await client.CompleteTransferAsync($"FTPS download of {name}", cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && !_finished)
        {
            _finished = true;
            if (!_completed)
            {
                client.AbandonTransfer();
            }

            if (ownsClient)
            {
                client.Close();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            _finished = true;
            await Inner.DisposeAsync().ConfigureAwait(false);
            if (!_completed)
            {
                client.AbandonTransfer();
            }

            if (ownsClient)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}
