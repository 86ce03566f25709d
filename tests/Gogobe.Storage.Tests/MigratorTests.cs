using Dapper;
using Gogobe.TestSupport;
using Npgsql;

namespace Gogobe.Storage.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class MigratorTests(PostgresFixture fixture)
{
    [Fact]
    public async Task ApplyAsync_RunTwice_SecondRunAppliesNothing()
    {
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateEmptyDatabaseAsync());

        var first = await Migrator.ApplyAsync(dataSource, CancellationToken.None);
        var second = await Migrator.ApplyAsync(dataSource, CancellationToken.None);

        Assert.NotEmpty(first);
        Assert.Equal(Migrator.All, first);
        Assert.Empty(second);
        Assert.Equal(Migrator.All.Count, await TestData.CountAsync(dataSource, "schema_migrations"));
    }

    [Fact]
    public async Task ApplyAsync_ConcurrentFromTwoDataSources_AppliesEachMigrationOnce()
    {
        var connectionString = await fixture.CreateEmptyDatabaseAsync();
        await using var a = NpgsqlDataSource.Create(connectionString);
        await using var b = NpgsqlDataSource.Create(connectionString);

        var results = await Task.WhenAll(
            Task.Run(() => Migrator.ApplyAsync(a, CancellationToken.None)),
            Task.Run(() => Migrator.ApplyAsync(b, CancellationToken.None)));

        Assert.Equal(Migrator.All, results.SelectMany(r => r).OrderBy(m => m.Version));
        Assert.Equal(Migrator.All.Count, await TestData.CountAsync(a, "schema_migrations"));
    }

    [Fact]
    public async Task All_EmbeddedMigrations_StartAtOneAndAreContiguous()
    {
        Assert.Equal(Enumerable.Range(1, Migrator.All.Count), Migrator.All.Select(m => m.Version));
        Assert.Equal("initial", Migrator.All[0].Name);

        // The schema the rest of the code relies on is really there after migration.
        await using var dataSource = NpgsqlDataSource.Create(await fixture.CreateDatabaseAsync());
        await using var connection = await dataSource.OpenConnectionAsync();
        var tables = (await connection.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).ToList();
        Assert.Equal(["chains", "file_processing_log", "price_history", "prices", "products", "promotion_items", "promotions", "runs", "schema_migrations", "stores", "tasks", "workers"], tables);
    }
}
