using System.Text;

namespace Gogobe.Core.Files;

/// <summary>
/// A price file opened for reading: the container it came in, the text encoding found, and the text
/// as a stream of characters (never the whole file in memory). Made by <see cref="PriceFileReader.Open"/>;
/// owns the raw stream it was opened from and disposes it.
/// </summary>
public sealed class DecodedFile : IDisposable
{
    private readonly AmpersandRepairingReader _text;
    private readonly IDisposable? _archive;
    private int _repairsReported;
    private AmpersandRepairingReader? _replay;
    private int _replayRepairsReported;

    internal DecodedFile(string container, Encoding encoding, AmpersandRepairingReader text, IDisposable? archive, ReaderLimits limits)
    {
        Limits = limits;
        Container = container;
        Encoding = encoding;
        _text = text;
        _archive = archive;
    }

    /// <summary>"gzip", "zip" or "plain".</summary>
    public string Container { get; }

    public Encoding Encoding { get; }

    /// <summary>The bounds this file is read under.</summary>
    public ReaderLimits Limits { get; }

    /// <summary>The decoded text; a bare <c>&amp;</c> in it is already escaped.</summary>
    public TextReader Text => _text;

    /// <summary>Repairs made to the text (escaped bare ampersands) since the last call; each counted once.</summary>
    internal int TakeTextRepairs()
    {
        var delta = _text.Repairs - _repairsReported;
        _repairsReported = _text.Repairs;
        if (_replay is not null)
        {
            delta += _replay.Repairs - _replayRepairsReported;
            _replayRepairsReported = _replay.Repairs;
        }

        return delta;
    }

    /// <summary>From now on <see cref="Text"/> passes bare ampersands on unescaped: the fast price scanner handles them itself.</summary>
    internal void PassBareAmpersands() => _text.PassBareAmpersands = true;

    /// <summary>
    /// <paramref name="replay"/> (text the fast scanner hands back, ending with the rest of <see cref="Text"/>) with its bare
    /// ampersands escaped and counted with this file's repairs. Runs are bounded already by <see cref="Text"/>.
    /// </summary>
    internal TextReader Escaped(TextReader replay)
    {
        _replay = new AmpersandRepairingReader(replay, int.MaxValue);
        return _replay;
    }

    public void Dispose()
    {
        _text.Dispose();
        _archive?.Dispose();
    }
}
