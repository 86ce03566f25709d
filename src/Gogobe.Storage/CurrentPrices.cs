using System.Buffers;
using System.Buffers.Binary;
using System.Data;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// Reads a store's current prices for the steady-state filter: product id → price × 100, unit price × 10,000. A steady
/// day reads every store's whole price list once per file, so the read is shaped for the wire: the server packs the rows
/// into one bytea of records (the product id as a big-endian int8, then each price in numeric's own binary form), which
/// arrives as one value and is streamed into a pooled buffer. Row by row (a data-row message, an awaited read and three
/// typed gets each, after a separate <c>count(*)</c> to size the dictionary) it cost client and server together about
/// 1.1–1.5 µs per price; a binary COPY, about 0.85 µs (the client pays per message: one per row); packed, about
/// 0.7–0.8 µs (measured side by side on 300 stores × 10,000 prices; docs/WRITE-PATH.md). The prices travel as
/// <c>numeric_send</c> rather than as <c>(price * 100)::int8</c>: the multiplication and the cast were most of the
/// server's work per price (pgbench, 10,000 prices a store: 6.9–8.1 ms a read with them, 4.0–4.9 ms without).
/// </summary>
internal static class CurrentPrices
{
    // A record: the product id (8 bytes), the price (numeric_send: 8 bytes and 2 per base-10,000 digit), the unit price
    // the same or, when NULL, the two bytes FF FF (ndigits is never negative in a numeric).
    private const int IdBytes = 8;
    private const int NumericHeaderBytes = 8;
    private const short NullMarker = -1;

    // numeric_send's sign word for a finite number (the others are NaN and ±Infinity). PgBinaryCopyWriter.WriteNumeric
    // writes the same form.
    private const ushort NumericPositive = 0x0000;
    private const ushort NumericNegative = 0x4000;

    // The count comes from the same scan and sizes the dictionary once: growing one by doubling left every smaller copy
    // behind as large-object garbage (86 MB of it for a 672,000-price store).
    private const string Sql = """
        SELECT count(*),
               string_agg(int8send(product_id) || numeric_send(price) || coalesce(numeric_send(unit_price), '\xffff'::bytea), ''::bytea)
        FROM prices WHERE store_id = $1
        """;

    private static readonly long[] PowersOfTen =
        [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
         100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
         10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000];

    public static async Task<Dictionary<long, KnownPrice>> ReadAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, int storeId, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(Sql, connection, transaction) { Parameters = { new NpgsqlParameter<int> { TypedValue = storeId } } };
        // Sequential access: the bytea is streamed from the connection's buffer, never made one (large-object) array.
        var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var count = checked((int)reader.GetInt64(0));
            var known = new Dictionary<long, KnownPrice>(count);
            if (count == 0)
            {
                return known;
            }

            var records = reader.GetStream(1);
            await using (records.ConfigureAwait(false))
            {
                await ReadRecordsAsync(records, known, cancellationToken).ConfigureAwait(false);
            }

            if (known.Count != count)
            {
                throw new InvalidDataException($"Store {storeId}: {known.Count} current prices read of the {count} counted.");
            }

            return known;
        }
    }

    private static async Task ReadRecordsAsync(Stream records, Dictionary<long, KnownPrice> known, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var end = 0;
            int read;
            while ((read = await records.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false)) > 0)
            {
                end += read;
                var used = ReadWholeRecords(buffer.AsSpan(0, end), known);
                buffer.AsSpan(used, end - used).CopyTo(buffer);
                end -= used;
            }

            if (end != 0)
            {
                throw new InvalidDataException($"The current prices ended inside a record ({end} bytes left over).");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds the whole records at the start of <paramref name="data"/>; returns the bytes they took (a cut record waits for more).</summary>
    private static int ReadWholeRecords(ReadOnlySpan<byte> data, Dictionary<long, KnownPrice> known)
    {
        var used = 0;
        while (true)
        {
            var rest = data[used..];
            if (rest.Length < IdBytes || !TryReadScaled(rest[IdBytes..], 2, out var cents, out var priceBytes))
            {
                return used;
            }

            var unitAt = IdBytes + priceBytes;
            long? unit;
            int unitBytes;
            if (rest.Length < unitAt + sizeof(short))
            {
                return used;
            }

            if (BinaryPrimitives.ReadInt16BigEndian(rest[unitAt..]) == NullMarker)
            {
                (unit, unitBytes) = (null, sizeof(short));
            }
            else if (TryReadScaled(rest[unitAt..], 4, out var tenThousandths, out unitBytes))
            {
                unit = tenThousandths;
            }
            else
            {
                return used;
            }

            known[BinaryPrimitives.ReadInt64BigEndian(rest)] = new KnownPrice(cents, unit);
            used += unitAt + unitBytes;
        }
    }

    /// <summary>
    /// One <c>numeric_send</c> value × 10^<paramref name="scale"/> as a long, rounded half away from zero as
    /// <c>(value * 10^scale)::int8</c> rounds (exact for the columns' own scales); false when it is cut short.
    /// </summary>
    internal static bool TryReadScaled(ReadOnlySpan<byte> numeric, int scale, out long value, out int length)
    {
        value = 0;
        length = 0;
        if (numeric.Length < NumericHeaderBytes)
        {
            return false;
        }

        var digits = BinaryPrimitives.ReadInt16BigEndian(numeric);
        var weight = BinaryPrimitives.ReadInt16BigEndian(numeric[2..]);
        var sign = BinaryPrimitives.ReadUInt16BigEndian(numeric[4..]);
        if (digits < 0 || numeric.Length < NumericHeaderBytes + (2 * digits))
        {
            return false;
        }

        if (sign is not (NumericPositive or NumericNegative))
        {
            // NaN or ±Infinity: nothing the writer stores; the server's own cast fails on them too.
            throw new InvalidDataException($"A current price is not a finite number (numeric sign 0x{sign:X4}).");
        }

        length = NumericHeaderBytes + (2 * digits);
        // Digit i (base 10,000) is worth 10^(4 × (weight − i)); scaled, 10^(4 × (weight − i) + scale).
        long magnitude = 0;
        for (var i = 0; i < digits; i++)
        {
            var at = NumericHeaderBytes + (2 * i);
            var exponent = (4 * (weight - i)) + scale;
            if (exponent < 0)
            {
                // Finer than the scale (no value of these columns is): round on the whole remainder.
                magnitude = checked(magnitude + RoundedRemainder(numeric[at..length], exponent));
                break;
            }

            if (exponent >= PowersOfTen.Length)
            {
                throw new OverflowException("A current price does not fit in a long once scaled.");
            }

            magnitude = checked(magnitude + (BinaryPrimitives.ReadInt16BigEndian(numeric[at..]) * PowersOfTen[exponent]));
        }

        value = sign == NumericNegative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Digits worth less than one unit of the scale (the first worth 10^<paramref name="exponent"/>), rounded half away from zero.</summary>
    private static long RoundedRemainder(ReadOnlySpan<byte> finerDigits, int exponent)
    {
        var remainder = 0m;
        for (var at = 0; at < finerDigits.Length && exponent >= -28; at += 2, exponent -= 4)
        {
            // digit × 10^exponent, exactly: a decimal's scale is its power of ten. Digits past 10^-28 are dropped: that never
            // moves a remainder across .5.
            remainder += new decimal(BinaryPrimitives.ReadInt16BigEndian(finerDigits[at..]), 0, 0, false, (byte)-exponent);
        }

        return (long)Math.Round(remainder, MidpointRounding.AwayFromZero);
    }
}
