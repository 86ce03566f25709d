using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Scraping;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// <see cref="IPriceSink"/> on PostgreSQL: one connection and transaction per file (prices written by binary COPY of narrow
/// rows, docs/WRITE-PATH.md), plus a short-lived second connection when a file brings products to create or name.
/// </summary>
public sealed class PgPriceSink(NpgsqlDataSource dataSource, TimeProvider time) : IPriceSink
{
    // Shared by all files this sink writes: product ids resolved once per process, not once per file.
    private readonly ProductIdCache _products = new();

    public async Task EnsureChainsAsync(IReadOnlyCollection<Chain> chains, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chains);
        if (chains.Count == 0)
        {
            return;
        }

        // Last name wins for a repeated id; ON CONFLICT may not touch one row twice in a statement.
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            byId[chain.Id] = chain.Name;
        }

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(
                """
                INSERT INTO chains (chain_id, name)
                SELECT * FROM unnest($1::text[], $2::text[])
                ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name
                WHERE chains.name IS DISTINCT FROM excluded.name
                """,
                connection);
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byId.Keys], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. byId.Values], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IFileWriter> BeginFileAsync(long logId, FileTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var writer = new PgFileWriter(connection, transaction, logId, target, time, _products, dataSource);
            try
            {
                // A Stores file describes the whole chain; it does not belong to one store row.
                if (target.Kind != FileKind.Stores)
                {
                    await writer.EnsureStoreAsync(cancellationToken).ConfigureAwait(false);
                }

                return writer;
            }
            catch
            {
                await writer.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
