using System.Buffers;
using System.Buffers.Binary;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// Writes a binary <c>COPY … FROM STDIN (FORMAT BINARY)</c> stream itself, field by field into a pooled buffer, for the
/// two COPYs a price file sends most rows through (<c>prices</c> and <c>price_history</c>). Npgsql's importer resolves
/// and checks a converter for every value it writes: on a first day that was 19 % of the whole machine (perf, both
/// cores), more than PostgreSQL's own share of the COPYs. The encodings are PostgreSQL's binary send formats, checked
/// against Npgsql's in <c>PgBinaryCopyWriterTests</c> (the same rows through both must give identical tables).
/// Usage: <see cref="BeginAsync"/>, then per row <see cref="StartRowAsync"/> and one write per column, then
/// <see cref="CompleteAsync"/>. Disposing without completing
/// cancels the COPY (the server discards it).
/// </summary>
internal sealed class PgBinaryCopyWriter : IAsyncDisposable
{
    private const int BufferBytes = 64 * 1024;

    // The most one row may take: flush before a row when less is left. Price rows take ≈ 100 bytes.
    private const int MaxRowBytes = 1024;

    // PostgreSQL's epoch for timestamps: 2000-01-01 00:00:00 (microseconds since it).
    private static readonly long EpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private readonly NpgsqlRawCopyStream _stream;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferBytes);
    private int _length;
    private bool _completed;

    private PgBinaryCopyWriter(NpgsqlRawCopyStream stream)
    {
        _stream = stream;
        // "PGCOPY\n\377\r\n\0", flags 0, header extension length 0.
        ReadOnlySpan<byte> header = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
        header.CopyTo(_buffer);
        _length = header.Length;
    }

    public static async Task<PgBinaryCopyWriter> BeginAsync(NpgsqlConnection connection, string copyFromStdin, CancellationToken cancellationToken) =>
        new(await connection.BeginRawBinaryCopyAsync(copyFromStdin, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Starts a row of <paramref name="columns"/> fields. Sends the buffer first when it is nearly full (about every
    /// 64 KB); otherwise completes at once, without awaiting anything.
    /// </summary>
    public ValueTask StartRowAsync(short columns, CancellationToken cancellationToken)
    {
        if (BufferBytes - _length >= MaxRowBytes)
        {
            Int16(columns);
            return ValueTask.CompletedTask;
        }

        return FlushThenStartAsync(columns, cancellationToken);
    }

    public void WriteNull() => Int32(-1);

    public void Write(bool? value)
    {
        if (value is { } v)
        {
            WriteBoolean(v);
        }
        else
        {
            WriteNull();
        }
    }

    public void Write(short? value)
    {
        if (value is { } v)
        {
            WriteInt16(v);
        }
        else
        {
            WriteNull();
        }
    }

    public void Write(decimal? value)
    {
        if (value is { } v)
        {
            WriteNumeric(v);
        }
        else
        {
            WriteNull();
        }
    }

    public void WriteTimestamp(DateTime? value)
    {
        if (value is { } v)
        {
            WriteTimestamp(v);
        }
        else
        {
            WriteNull();
        }
    }

    public void WriteInt32(int value)
    {
        Int32(4);
        Int32(value);
    }

    public void WriteInt64(long value)
    {
        Int32(8);
        Int64(value);
    }

    public void WriteInt16(short value)
    {
        Int32(2);
        Int16(value);
    }

    public void WriteBoolean(bool value)
    {
        Int32(1);
        _buffer[_length++] = value ? (byte)1 : (byte)0;
    }

    /// <summary>A <c>timestamp</c> (without time zone): the value's clock reading as is, whatever its kind.</summary>
    public void WriteTimestamp(DateTime value)
    {
        Int32(8);
        // DateTime's extremes are PostgreSQL's infinities, as Npgsql writes them.
        Int64(value == DateTime.MaxValue ? long.MaxValue
            : value == DateTime.MinValue ? long.MinValue
            : (value.Ticks - EpochTicks) / TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>A <c>timestamptz</c>: the instant, from a UTC value (as Npgsql, a local or unspecified one is refused).</summary>
    public void WriteTimestampTz(DateTime utc)
    {
        if (utc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"A timestamptz must be written from a UTC DateTime (this one is {utc.Kind}).", nameof(utc));
        }

        WriteTimestamp(utc);
    }

    /// <summary>
    /// A <c>numeric</c>: ndigits, weight, sign, dscale, then base-10,000 digits, most significant first (numeric_send).
    /// The column rounds it to its own scale on arrival (numeric_recv applies the column's typmod), as for any client.
    /// </summary>
    public void WriteNumeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];

        // Align the fraction to whole base-10,000 digits: 1.5 (15, scale 1) becomes 15000 with four decimal places.
        var padded = (4 - (scale % 4)) % 4;
        for (var i = 0; i < padded; i++)
        {
            mantissa *= 10;
        }

        var fractionDigits = (scale + padded) / 4;
        Span<short> digits = stackalloc short[12]; // 96 bits × 10^3 < 10^33: at most 9 groups; least significant first
        var count = 0;
        while (mantissa != 0)
        {
            digits[count++] = (short)(ushort)(mantissa % 10_000);
            mantissa /= 10_000;
        }

        // Drop trailing zero digits (PostgreSQL's own form strips them); the weight is the top digit's power of 10,000.
        var lowest = 0;
        while (lowest < count && digits[lowest] == 0)
        {
            lowest++;
        }

        var ndigits = count - lowest;
        var weight = ndigits == 0 ? 0 : count - 1 - fractionDigits;
        Int32(8 + (2 * ndigits));
        Int16((short)ndigits);
        Int16((short)weight);
        Int16(negative && ndigits > 0 ? (short)0x4000 : (short)0);
        Int16((short)scale);
        for (var i = count - 1; i >= lowest; i--)
        {
            Int16(digits[i]);
        }
    }

    private async ValueTask FlushThenStartAsync(short columns, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        Int16(columns);
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken).ConfigureAwait(false);
        _length = 0;
    }

    /// <summary>Ends the stream (trailer), sends the rest and waits for the server to take the COPY.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        Int16(-1);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        _completed = true;
        // Disposing a raw COPY stream that is writing ends the COPY and reads the server's answer (errors throw here).
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completed)
        {
            await _stream.CancelAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
        }

        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private void Int16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), value);
        _length += 2;
    }

    private void Int32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), value);
        _length += 8;
    }
}
