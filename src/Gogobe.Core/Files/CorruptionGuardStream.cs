namespace Gogobe.Core.Files;

/// <summary>
/// Wraps a decompressing stream so that a damaged archive surfaces as one clear
/// <see cref="InvalidDataException"/> ("corrupt gzip: ...") wherever in the file the damage is met.
/// Network errors of the source (<see cref="IOException"/>) pass through unchanged: they are not corruption.
/// Owns <c>inner</c>.
/// </summary>
internal sealed class CorruptionGuardStream(Stream inner, string container) : ReadOnlyStream(inner)
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Inner.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw Corrupt(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private InvalidDataException Corrupt(InvalidDataException ex) => new($"corrupt {container}: {ex.Message}", ex);
}
