using System.Buffers;
using System.Buffers.Binary;
using System.Data;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>
/// Reads a store's current prices for the steady-state filter: product id → price × 100, unit price × 10,000. A steady
/// day reads every store's whole price list once per file, so the read is shaped for the wire: the server packs the rows
/// into one bytea of fixed 24-byte records (three big-endian int8s), which arrives as one value and is streamed into a
/// pooled buffer. Row by row (a data-row message, an awaited read and three typed gets each, after a separate
/// <c>count(*)</c> to size the dictionary) it cost client and server together about 1.1–1.5 µs per price; a binary
/// COPY, about 0.85 µs (the client pays per message: one per row); this, about 0.7–0.8 µs (measured side by side on
/// 300 stores × 10,000 prices; docs/WRITE-PATH.md).
/// </summary>
internal static class CurrentPrices
{
    private const int RecordBytes = 24;

    // unit_price NULL travels as long.MinValue (KnownPrice's own "no unit price"; a numeric(14,4) × 10,000 is far from it).
    // The count comes from the same scan and sizes the dictionary once: growing one by doubling left every smaller copy
    // behind as large-object garbage (86 MB of it for a 672,000-price store).
    private const string Sql = """
        SELECT count(*),
               string_agg(int8send(product_id) || int8send((price * 100)::int8)
                          || int8send(coalesce((unit_price * 10000)::int8, '-9223372036854775808'::int8)), ''::bytea)
        FROM prices WHERE store_id = $1
        """;

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
                var whole = end - (end % RecordBytes);
                for (var p = 0; p < whole; p += RecordBytes)
                {
                    var record = buffer.AsSpan(p, RecordBytes);
                    var unit = BinaryPrimitives.ReadInt64BigEndian(record[16..]);
                    known[BinaryPrimitives.ReadInt64BigEndian(record)] = new KnownPrice(
                        BinaryPrimitives.ReadInt64BigEndian(record[8..]), unit == long.MinValue ? null : unit);
                }

                buffer.AsSpan(whole, end - whole).CopyTo(buffer);
                end -= whole;
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
}
