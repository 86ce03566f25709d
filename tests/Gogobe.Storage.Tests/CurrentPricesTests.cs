using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

/// <summary>
/// A store's current prices, packed by the server into records (numeric's binary form) and unpacked in the process, must
/// be exactly the server's <c>(price * 100)::int8</c> and <c>(unit_price * 10000)::int8</c> (null kept null), for that
/// store only, whatever the stream's chunking (6,000 prices are ≈ 150 KB: several reads, records cut across them).
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class CurrentPricesTests(PostgresFixture fixture)
{
    [Fact]
    public async Task ReadAsync_ManyPricesSomeWithoutUnitPrice_EqualsTheServersScaledValuesForThatStoreOnly()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        // Store 7: 6,000 prices with every kind of value (unit price null for every third); store 8: other prices.
        await Execute(connection, """
            INSERT INTO prices (store_id, product_id, price, unit_price, updated_at)
            SELECT 7, p * 1000003, round((p * 7919 % 10000000000) / 100.0, 2),
                   CASE WHEN p % 3 = 0 THEN NULL ELSE round((p * 104729 % 100000000000000) / 10000.0, 4) END, now()
            FROM generate_series(1::bigint, 6000) p
            UNION ALL SELECT 8, p, 1.00, 1.0000, now() FROM generate_series(1, 50) p;
            INSERT INTO prices (store_id, product_id, price, unit_price, updated_at)
            VALUES (7, 1, 99999999.99, 9999999999.9999, now()), (7, 2, 0, 0, now()), (7, 3, 0.01, 0.0001, now()),
                   (7, 4, 10000.00, 10000, now()), (7, 5, -12.34, -0.5, now()), (7, 6, 0.50, 123456789.1, now()),
                   (7, 7, 1234.5, 0.0005, now()), (7, 8, 100000000 - 0.01, 100000000, now());
            """);

        var expected = new Dictionary<long, KnownPrice>();
        await using (var command = new NpgsqlCommand(
            "SELECT product_id, (price * 100)::int8, (unit_price * 10000)::int8 FROM prices WHERE store_id = 7", connection))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                expected[reader.GetInt64(0)] = new KnownPrice(reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }
        }

        var actual = await ReadAsync(connection, 7);

        Assert.Equal(6008, expected.Count);
        Assert.Equal(expected.Count, actual.Count);
        foreach (var (id, price) in expected)
        {
            Assert.Equal(price, actual[id]);
        }

        Assert.True(actual[1].SamePrice(99999999.99m, 9999999999.9999m));
        Assert.True(actual[3].SamePrice(0.01m, 0.0001m));
        Assert.True(actual[3 * 1000003].SamePrice(Price(connection, 3 * 1000003), null));
    }

    [Fact]
    public async Task TryReadScaled_AnyNumeric_EqualsTheServersScaledCastAndNeedsEveryByte()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        // Values finer than the scale (rounded half away from zero by the cast), negative, with zero base-10,000 groups
        // inside and at either end, and the largest the scales allow in a long.
        string[] values =
        [
            "0", "0.005", "-0.005", "0.00499999999", "1.23456", "-1.235", "0.125", "10000", "100000000.01", "0.00001",
            "12345678901234567.89", "-92233720368547758.07", "1e-30", "0.4999999999999999999999999999999999", "7.000050001",
        ];
        foreach (var scale in new[] { 2, 4 })
        {
            foreach (var text in values)
            {
                await using var command = new NpgsqlCommand(
                    $"SELECT numeric_send(v), CASE WHEN abs(v) < 9e14 OR $1 = 2 THEN (v * 10 ^ $1::numeric)::int8 END FROM (SELECT '{text}'::numeric v) x",
                    connection)
                { Parameters = { new NpgsqlParameter<int> { TypedValue = scale } } };
                await using var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                var bytes = (byte[])reader[0];
                if (reader.IsDBNull(1))
                {
                    Assert.Throws<OverflowException>(() => CurrentPrices.TryReadScaled(bytes, scale, out _, out _));
                    continue;
                }

                Assert.True(CurrentPrices.TryReadScaled(bytes, scale, out var value, out var length), text);
                Assert.Equal((reader.GetInt64(1), bytes.Length), (value, length));
                Assert.False(CurrentPrices.TryReadScaled(bytes.AsSpan(0, bytes.Length - 1), scale, out _, out _), text);
            }
        }
    }

    [Fact]
    public async Task ReadAsync_StoreWithoutPrices_Empty()
    {
        await using var dataSource = await fixture.CreateDataSourceAsync();
        await using var connection = await dataSource.OpenConnectionAsync();
        await Execute(connection, "INSERT INTO prices (store_id, product_id, price, updated_at) VALUES (1, 1, 1.00, now())");

        Assert.Empty(await ReadAsync(connection, 2));
        Assert.Single(await ReadAsync(connection, 1));
    }

    private static async Task<Dictionary<long, KnownPrice>> ReadAsync(NpgsqlConnection connection, int storeId)
    {
        var prices = await CurrentPrices.ReadAsync(connection, null, storeId, CancellationToken.None);

        // The connection is usable afterwards: the value was read to its end.
        await using var check = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await check.ExecuteScalarAsync());
        return prices;
    }

    private static decimal Price(NpgsqlConnection connection, long productId)
    {
        using var command = new NpgsqlCommand($"SELECT price FROM prices WHERE store_id = 7 AND product_id = {productId}", connection);
        return (decimal)command.ExecuteScalar()!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
