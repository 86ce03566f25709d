using System.Globalization;
using System.Text;

namespace Gogobe.Scrapers.Ftp;

/// <summary>
/// The FTP control connection's line protocol: commands out as CRLF lines, replies in (RFC 959 multi-line replies
/// included). Its own small buffer instead of a StreamReader, because the stream under it is swapped for TLS after
/// AUTH TLS, and because the end of a transfer may be read synchronously (the reader's XML parser reads the download
/// on a worker thread through the synchronous <see cref="Stream.Read(Span{byte})"/>).
/// </summary>
internal sealed class FtpControlChannel(Stream stream)
{
    private const int MaxLine = 8 * 1024;
    private readonly byte[] _buffer = new byte[MaxLine];
    private int _start;
    private int _end;

    public Stream Stream { get; private set; } = stream;

    /// <summary>Replaces the stream (plain → TLS). Only legal between replies: nothing may be buffered from the old one.</summary>
    public void Upgrade(Stream secured)
    {
        if (_start != _end)
        {
            throw new FtpsException("The FTP server sent data before the TLS handshake; refusing to continue on that connection.");
        }

        Stream = secured;
    }

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        var bytes = Encode(command);
        await Stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await Stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Send(string command)
    {
        Stream.Write(Encode(command));
        Stream.Flush();
    }

    public async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var first = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
        var (code, more, text) = Parse(first);
        var lines = new StringBuilder(text);
        while (more)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            more = !IsLastLine(line, code);
            lines.Append(' ').Append(more ? line.Trim() : line[4..].Trim());
        }

        return new FtpReply(code, lines.ToString().Trim());
    }

    public FtpReply ReadReply()
    {
        var (code, more, text) = Parse(ReadLine());
        var lines = new StringBuilder(text);
        while (more)
        {
            var line = ReadLine();
            more = !IsLastLine(line, code);
            lines.Append(' ').Append(more ? line.Trim() : line[4..].Trim());
        }

        return new FtpReply(code, lines.ToString().Trim());
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TakeLine() is { } line)
            {
                return line;
            }

            Compact();
            var read = await Stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            Filled(read);
        }
    }

    private string ReadLine()
    {
        while (true)
        {
            if (TakeLine() is { } line)
            {
                return line;
            }

            Compact();
            Filled(Stream.Read(_buffer.AsSpan(_end)));
        }
    }

    private string? TakeLine()
    {
        var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
        if (newline < 0)
        {
            return null;
        }

        var line = Encoding.UTF8.GetString(_buffer, _start, newline - _start).TrimEnd('\r');
        _start = newline + 1;
        return line;
    }

    private void Compact()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new FtpsException($"The FTP server sent a reply line longer than {MaxLine} bytes; this is not an FTP server.");
        }
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            throw new FtpsException("The FTP server closed the control connection.");
        }

        _end += read;
    }

    private static (int Code, bool More, string Text) Parse(string line)
    {
        if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            || (line.Length > 3 && line[3] is not (' ' or '-')))
        {
            throw new FtpsException($"The FTP server sent a malformed reply: \"{Shorten(line)}\".");
        }

        var more = line.Length > 3 && line[3] == '-';
        return (code, more, line.Length > 4 ? line[4..].Trim() : "");
    }

    private static bool IsLastLine(string line, int code) =>
        line.Length >= 4 && line[3] == ' ' && line.StartsWith(code.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private static byte[] Encode(string command)
    {
        // A name from a listing must never smuggle a second command onto the control connection.
        if (command.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException($"FTP command \"{Shorten(command)}\" holds a line break or NUL.", nameof(command));
        }

        return Encoding.UTF8.GetBytes(command + "\r\n");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
