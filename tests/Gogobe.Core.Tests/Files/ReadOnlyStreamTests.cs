using Gogobe.Core.Files;

namespace Gogobe.Core.Tests.Files;

public sealed class ReadOnlyStreamTests
{
    [Fact]
    public void Read_ArrayOverload_GoesThroughSpanOverride()
    {
        using var stream = new Doubling(new MemoryStream([1, 2, 3]));
        var buffer = new byte[5];

        var n = stream.Read(buffer, 1, 3);

        Assert.Equal(3, n);
        Assert.Equal(new byte[] { 0, 2, 4, 6, 0 }, buffer);
    }

    [Fact]
    public void Members_WriteSeekLength_AreNotSupported()
    {
        using var stream = new Doubling(new MemoryStream([1, 2, 3]));

        Assert.True(stream.CanRead);
        Assert.False(stream.CanSeek);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Length);
        Assert.Throws<NotSupportedException>(() => stream.Position);
        Assert.Throws<NotSupportedException>(() => stream.Position = 0);
        Assert.Throws<NotSupportedException>(() => stream.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => stream.SetLength(1));
        Assert.Throws<NotSupportedException>(() => stream.Write([1], 0, 1));
        stream.Flush();
    }

    [Fact]
    public void Dispose_Owned_DisposesInner()
    {
        var inner = new MemoryStream([1]);

        new Doubling(inner).Dispose();

        Assert.False(inner.CanRead);
    }

    [Fact]
    public void Dispose_LeaveOpen_KeepsInnerOpen()
    {
        var inner = new MemoryStream([1]);

        new Doubling(inner, leaveOpen: true).Dispose();

        Assert.True(inner.CanRead);
        Assert.Equal(1, inner.ReadByte());
    }

    [Fact]
    public async Task ReadAsync_NoAsyncOverride_ReadsThroughSpanOverride()
    {
        await using var stream = new Doubling(new MemoryStream([5, 6]));
        var buffer = new byte[2];

        var n = await stream.ReadAsync(buffer.AsMemory(), CancellationToken.None);

        Assert.Equal(2, n);
        Assert.Equal(new byte[] { 10, 12 }, buffer);
    }

    /// <summary>A wrapper that writes only its read, as the production wrappers do.</summary>
    private sealed class Doubling(Stream inner, bool leaveOpen = false) : ReadOnlyStream(inner, leaveOpen)
    {
        public override int Read(Span<byte> buffer)
        {
            var n = Inner.Read(buffer);
            for (var i = 0; i < n; i++)
            {
                buffer[i] *= 2;
            }

            return n;
        }
    }
}
