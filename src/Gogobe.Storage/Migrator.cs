using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>One schema migration: an embedded <c>Migrations/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name);

/// <summary>
/// Applies the embedded SQL migrations in version order, each once and in its own transaction, recorded in
/// <c>schema_migrations</c>. A transaction-scoped advisory lock serialises concurrent starters (several workers,
/// parallel tests), so a migration never runs twice.
/// </summary>
public static partial class Migrator
{
    // An arbitrary constant shared by every Gogobe process: "gogobe" as ASCII bytes.
    private const long AdvisoryLockKey = 0x676F676F6265;

    private const string ResourcePrefix = "Gogobe.Storage.Migrations.";

    /// <summary>All migrations embedded in this assembly, in order.</summary>
    public static IReadOnlyList<Migration> All { get; } = Discover();

    /// <summary>Applies the pending migrations and returns those this call applied (empty when the schema was current).</summary>
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        await ApplyAsync(dataSource, NullLogger.Instance, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc cref="ApplyAsync(NpgsqlDataSource, CancellationToken)"/>
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(NpgsqlDataSource dataSource, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(logger);

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await InTransactionAsync(connection, async tx =>
            {
                await ExecuteAsync(connection, tx, """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    integer PRIMARY KEY,
                        name       text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """, cancellationToken).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);

            var applied = new List<Migration>();
            foreach (var migration in All)
            {
                var ran = await InTransactionAsync(connection, async tx =>
                {
                    // Re-checked under the lock: another process may have applied it since we looked.
                    using var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = $1)", connection, tx);
                    check.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    if ((bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
                    {
                        return false;
                    }

                    await ExecuteAsync(connection, tx, ReadSql(migration), cancellationToken).ConfigureAwait(false);

                    using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, tx);
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);

                if (ran)
                {
                    logger.AppliedMigration(migration.Version, migration.Name);
                    applied.Add(migration);
                }
            }

            return applied;
        }
    }

    private static async Task<bool> InTransactionAsync(NpgsqlConnection connection, Func<NpgsqlTransaction, Task<bool>> work, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (tx.ConfigureAwait(false))
        {
            using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, tx))
            {
                lockCommand.Parameters.Add(new NpgsqlParameter<long> { TypedValue = AdvisoryLockKey });
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            var result = await work(tx).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        // Migration text is trusted, embedded SQL shipped with this assembly.
        using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string ReadSql(Migration migration)
    {
        var resource = $"{ResourcePrefix}{migration.Version:0000}_{migration.Name}.sql";
        using var stream = typeof(Migrator).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded migration {resource} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static List<Migration> Discover()
    {
        var migrations = new List<Migration>();
        foreach (var resource in typeof(Migrator).Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = FileNamePattern().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Embedded migration {resource} is not named NNNN_name.sql.");
            }

            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), match.Groups[2].Value));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two embedded migrations share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{4})_(\w+)\.sql$", RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();
}
