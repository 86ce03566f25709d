using Gogobe.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Gogobe.Host.Hosting;

/// <summary>
/// Ready means PostgreSQL answers and the schema is the one this build expects: every migration of
/// <see cref="Migrator.All"/> is recorded in <c>schema_migrations</c>.
/// </summary>
internal sealed class DatabaseHealthCheck(AppDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var command = database.ProbeDataSource.CreateCommand("SELECT version FROM schema_migrations");
            await using (command.ConfigureAwait(false))
            {
                var applied = new HashSet<int>();
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        applied.Add(reader.GetInt32(0));
                    }
                }

                var missing = Migrator.All.Where(m => !applied.Contains(m.Version)).Select(m => m.Name).ToList();
                return missing.Count == 0
                    ? HealthCheckResult.Healthy($"PostgreSQL reachable; {Migrator.All.Count} migrations applied.")
                    : HealthCheckResult.Unhealthy($"Migrations not applied: {string.Join(", ", missing)}.");
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL unreachable: {ex.Message}");
        }
    }
}
