using System.Globalization;
using Npgsql;

namespace Gogobe.Storage;

/// <summary>What <see cref="PgPartitions.EnsureMonthlyAsync"/> did: the partitions it created and the rows it moved out of DEFAULT.</summary>
public sealed record PartitionReport(IReadOnlyList<string> Created, long RowsMovedFromDefault);

/// <summary>
/// The monthly partitions of <c>price_history</c> (migration 0003): <c>price_history_YYYY_MM</c>, bounded by UTC month
/// starts, plus <c>price_history_default</c> for rows of a month that has no partition yet; all in the schema
/// <c>partitions</c>, so the public schema lists only the logical tables.
/// </summary>
public static class PgPartitions
{
    /// <summary>The partition holding the UTC month of <paramref name="month"/>, e.g. <c>price_history_2026_03</c>.</summary>
    public static string PriceHistoryPartitionName(DateOnly month) =>
        string.Create(CultureInfo.InvariantCulture, $"price_history_{month.Year:0000}_{month.Month:00}");

    /// <summary>
    /// Creates the partitions of the UTC month of <paramref name="now"/> and the <paramref name="monthsAhead"/> months
    /// after it, and of every month that has rows waiting in the DEFAULT partition (a clock far ahead, a late run), moving
    /// those rows into their month's partition. Idempotent; one transaction, so a failure leaves nothing half done.
    /// Draining DEFAULT matters for retention: only monthly partitions are ever dropped.
    /// </summary>
    public static async Task<PartitionReport> EnsureMonthlyAsync(NpgsqlDataSource dataSource, DateTimeOffset now, int monthsAhead, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentOutOfRangeException.ThrowIfNegative(monthsAhead);

        var first = MonthOf(now);
        var months = new SortedSet<DateOnly>(Enumerable.Range(0, monthsAhead + 1).Select(first.AddMonths));

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                using (var waiting = new NpgsqlCommand(
                    "SELECT DISTINCT date_trunc('month', changed_at AT TIME ZONE 'UTC')::date FROM partitions.price_history_default", connection, tx))
                {
                    var reader = await waiting.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            months.Add(reader.GetFieldValue<DateOnly>(0));
                        }
                    }
                }

                var created = new List<string>();
                long moved = 0;
                foreach (var month in months)
                {
                    using var ensure = new NpgsqlCommand("SELECT created, rows_moved FROM price_history_ensure_partition($1)", connection, tx);
                    ensure.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = month });
                    var reader = await ensure.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                        if (reader.GetBoolean(0))
                        {
                            created.Add(PriceHistoryPartitionName(month));
                        }

                        moved += reader.GetInt64(1);
                    }
                }

                await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new PartitionReport(created, moved);
            }
        }
    }

    /// <summary>The first day of the UTC month of <paramref name="instant"/>.</summary>
    internal static DateOnly MonthOf(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateOnly(utc.Year, utc.Month, 1);
    }
}
