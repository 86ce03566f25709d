namespace Gogobe.Simulator;

/// <summary>Damage the simulator can put into one published file, the way real portals sometimes serve them.</summary>
public enum FileFault
{
    None,

    /// <summary>A valid gzip header followed by bytes that do not inflate.</summary>
    CorruptGzip,

    /// <summary>A valid gzip stream whose XML stops in the middle of an element.</summary>
    TruncatedXml,
}
