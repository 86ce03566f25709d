namespace Gogobe.Core.Files;

/// <summary>Passes reads (and seeks) through but leaves <c>inner</c> open on dispose, so one seekable stream can be read twice.</summary>
internal sealed class LeaveOpenStream(Stream inner) : ReadOnlyStream(inner, leaveOpen: true)
{
    public override bool CanSeek => Inner.CanSeek;
    public override long Length => Inner.Length;
    public override long Position { get => Inner.Position; set => Inner.Position = value; }
    public override int Read(Span<byte> buffer) => Inner.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => Inner.Seek(offset, origin);
}
