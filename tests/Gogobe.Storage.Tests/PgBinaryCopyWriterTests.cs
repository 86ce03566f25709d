using Gogobe.TestSupport;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage.Tests;

/// <summary>
/// The hand-written binary COPY must put exactly what Npgsql's importer puts: the same values through both into two
/// tables of the same columns (unconstrained numeric, so nothing is rounded away; and the price columns' own types),
/// then the tables compared by the server.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PgBinaryCopyWriterTests(PostgresFixture fixture)
{
    private static readonly decimal[] Edges =
    [
        0m, 0.00m, 1m, 1.5m, 7.10m, 12.345m, 0.0001m, 0.00001m, 9999m, 10000m, 10000.0001m, 99999999.99m, 100000m,
        1234567890.1234567890123456789m, 0.0000000000000000000000000001m, decimal.MaxValue, decimal.MinValue, -0.5m,
        -12345.6789m, 79228162514264337593543950.335m, 1e20m, 123456789012345678901234567.8m,
    ];

    private static readonly DateTime[] Times =
    [
        new(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc),
        new DateTime(2026, 3, 10, 10, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567),
        new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-1),
        new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999),
        new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(-15),
        new(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc),
        DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc),
        DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
    ];

    [Fact]
    public async Task Write_EveryKindOfValue_TableEqualsNpgsqlsOwnImport()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        const string Columns = "(i int, l bigint, n numeric, p numeric(12,2), u numeric(14,4), b boolean, s smallint, t timestamp, z timestamptz, k int)";
        await Execute(connection, $"CREATE TABLE by_npgsql {Columns}; CREATE TABLE by_writer {Columns}");

        var random = new Random(5);
        var rows = new List<Row>();
        for (var k = 0; k < 6_000; k++)
        {
            var n = k < Edges.Length ? Edges[k] : RandomDecimal(random);
            var price = k % 7 == 0 ? (decimal?)null : Math.Round(Math.Abs(n) % 99_999_999m, random.Next(0, 6));
            var time = Times[k % Times.Length];
            rows.Add(new Row(
                k % 11 == 0 ? null : random.Next(int.MinValue, int.MaxValue),
                k % 13 == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue),
                n,
                price,
                price is { } p ? Math.Round(p / 7m, 6) : null,
                k % 5 == 0 ? null : k % 2 == 0,
                k % 3 == 0 ? null : (short)random.Next(short.MinValue, short.MaxValue),
                k % 9 == 0 ? null : DateTime.SpecifyKind(time, DateTimeKind.Unspecified),
                time,
                k));
        }

        await using (var importer = await connection.BeginBinaryImportAsync("COPY by_npgsql FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                await importer.StartRowAsync();
                await Nullable(importer, row.I, NpgsqlDbType.Integer);
                await Nullable(importer, row.L, NpgsqlDbType.Bigint);
                await importer.WriteAsync(row.N, NpgsqlDbType.Numeric);
                await Nullable(importer, row.P, NpgsqlDbType.Numeric);
                await Nullable(importer, row.U, NpgsqlDbType.Numeric);
                await Nullable(importer, row.B, NpgsqlDbType.Boolean);
                await Nullable(importer, row.S, NpgsqlDbType.Smallint);
                await Nullable(importer, row.T, NpgsqlDbType.Timestamp);
                await importer.WriteAsync(row.Z, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(row.K, NpgsqlDbType.Integer);
            }

            await importer.CompleteAsync();
        }

        await using (var copy = await PgBinaryCopyWriter.BeginAsync(connection, "COPY by_writer FROM STDIN (FORMAT BINARY)", CancellationToken.None))
        {
            foreach (var row in rows)
            {
                await copy.StartRowAsync(10, CancellationToken.None);
                Write(copy, row.I, copy.WriteInt32);
                Write(copy, row.L, copy.WriteInt64);
                copy.WriteNumeric(row.N);
                copy.Write(row.P);
                copy.Write(row.U);
                copy.Write(row.B);
                copy.Write(row.S);
                copy.WriteTimestamp(row.T);
                copy.WriteTimestampTz(row.Z);
                copy.WriteInt32(row.K);
            }

            await copy.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(rows.Count, await Scalar(connection, "SELECT count(*) FROM by_writer"));
        // Row for row, every column, text forms too (numeric's display scale travels: 7.10 stays 7.10, not 7.1).
        Assert.Equal(0, await Scalar(connection, """
            SELECT count(*) FROM by_npgsql x FULL JOIN by_writer y USING (k)
            WHERE x IS DISTINCT FROM y OR x.n::text IS DISTINCT FROM y.n::text OR x.k IS NULL OR y.k IS NULL
            """));
        Assert.Equal(1, await Scalar(connection, "SELECT count(*) FROM by_writer WHERE t = 'infinity'::timestamp AND k = 7"));
    }

    [Fact]
    public async Task Dispose_WithoutComplete_CancelsTheCopy_ConnectionStillUsable()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "CREATE TABLE t (i int)");

        await using (var copy = await PgBinaryCopyWriter.BeginAsync(connection, "COPY t FROM STDIN (FORMAT BINARY)", CancellationToken.None))
        {
            for (var i = 0; i < 20_000; i++)
            {
                await copy.StartRowAsync(1, CancellationToken.None);
                copy.WriteInt32(i);
            }
        }

        Assert.Equal(0, await Scalar(connection, "SELECT count(*) FROM t"));
    }

    [Fact]
    public async Task WriteTimestampTz_NotUtc_Refused()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "CREATE TABLE t (z timestamptz)");
        await using var copy = await PgBinaryCopyWriter.BeginAsync(connection, "COPY t FROM STDIN (FORMAT BINARY)", CancellationToken.None);
        await copy.StartRowAsync(1, CancellationToken.None);

        Assert.Throws<ArgumentException>(() => copy.WriteTimestampTz(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Local)));
    }

    private sealed record Row(int? I, long? L, decimal N, decimal? P, decimal? U, bool? B, short? S, DateTime? T, DateTime Z, int K);

    private static decimal RandomDecimal(Random random) =>
        new(random.Next(), random.Next(), random.Next(0, 3) == 0 ? random.Next() : 0, random.Next(2) == 0, (byte)random.Next(0, 29));

    private static void Write<T>(PgBinaryCopyWriter copy, T? value, Action<T> write)
        where T : struct
    {
        if (value is { } v)
        {
            write(v);
        }
        else
        {
            copy.WriteNull();
        }
    }

    private static Task Nullable<T>(NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct =>
        value is { } v ? importer.WriteAsync(v, type) : importer.WriteNullAsync();

    private static async Task<long> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
