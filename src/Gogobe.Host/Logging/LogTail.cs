using System.Text;

namespace Gogobe.Host.Logging;

/// <summary>
/// Reads a JSON-lines log across its rolled files (<see cref="LogFileLayout.Segments"/>), and follows it: lines
/// appended later are read as they come, and when the file rolls over the reader moves on to the next file after
/// finishing the current one. Only whole lines are read; a line being written is picked up on the next poll.
/// </summary>
internal sealed class LogTail(string basePath, LogFilter filter, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private string? _current;
    private long _offset;

    /// <summary>Writes every matching line there is now; returns how many.</summary>
    public async Task<int> ReadAvailableAsync(Func<LogLine, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var written = 0;
        while (true)
        {
            var segments = LogFileLayout.Segments(basePath);
            if (segments.Count == 0)
            {
                return written;
            }

            // Start at the oldest file; after the current file vanished (rotation deletes the oldest), every file left is
            // newer, so again at the oldest left.
            var index = _current is null ? -1 : IndexOf(segments, _current);
            if (index < 0)
            {
                _current = segments[0];
                _offset = 0;
                index = 0;
            }

            written += await ReadNewLinesAsync(_current!, write, cancellationToken).ConfigureAwait(false);
            if (index == segments.Count - 1)
            {
                return written;
            }

            // A newer file exists, so this one is finished (Serilog never writes to a rolled-over file again).
            _current = segments[index + 1];
            _offset = 0;
        }
    }

    /// <summary>Writes the lines there are, then each line appended later, until <paramref name="cancellationToken"/>.</summary>
    public async Task FollowAsync(Func<LogLine, Task> write, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await ReadAvailableAsync(write, cancellationToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> segments, string path)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (string.Equals(segments[i], path, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private async Task<int> ReadNewLinesAsync(string path, Func<LogLine, Task> write, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            // Shared: the writer (another process) keeps the file open, and rotation may delete it.
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            await using (stream.ConfigureAwait(false))
            {
                if (stream.Length <= _offset)
                {
                    return 0;
                }

                stream.Position = _offset;
                bytes = new byte[stream.Length - _offset];
                await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (FileNotFoundException)
        {
            return 0;
        }

        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
        {
            return 0;
        }

        _offset += end + 1;
        var written = 0;
        foreach (var text in Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            if (LogLine.Parse(text.TrimStart('\uFEFF')) is { } line && filter.Matches(line))
            {
                await write(line).ConfigureAwait(false);
                written++;
            }
        }

        return written;
    }
}
