using Cronos;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Gogobe.Host.Configuration;

/// <summary>
/// Validators for the <c>Gogobe:*</c> sections. Hand-written rather than data annotations so every message names the
/// full configuration key and the value it had: the operator reads one line and knows what to fix.
/// </summary>
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    /// <summary>Shorter tokens are guessable; the API can start runs that hammer real portals.</summary>
    public const int MinimumTokenLength = 16;

    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        var urls = options.UrlList;
        if (urls.Count == 0)
        {
            failures.Add($"{ServerOptions.Section}:Urls must name at least one address, e.g. http://127.0.0.1:8000.");
        }

        foreach (var url in urls.Where(u => ListenAddresses.Host(u) is null))
        {
            failures.Add($"{ServerOptions.Section}:Urls has '{url}', which is not an http:// or https:// address.");
        }

        failures.AtLeast($"{ServerOptions.Section}:MaxRequestBodyBytes", options.MaxRequestBodyBytes, 1);
        var hasToken = !string.IsNullOrWhiteSpace(options.Token);
        var exposed = urls.FirstOrDefault(u => ListenAddresses.Host(u) is not null && !ListenAddresses.IsLoopback(u));
        if (!hasToken && exposed is not null)
        {
            failures.Add($"{ServerOptions.Section}:Token is required when listening on a non-loopback address ({exposed}); set Gogobe__Server__Token or listen on 127.0.0.1.");
        }
        else if (!hasToken && options.ProtectReadEndpoints)
        {
            failures.Add($"{ServerOptions.Section}:Token is required when {ServerOptions.Section}:ProtectReadEndpoints is true.");
        }
        else if (hasToken && options.Token!.Length < MinimumTokenLength)
        {
            failures.Add($"{ServerOptions.Section}:Token must be at least {MinimumTokenLength} characters (was {options.Token.Length}).");
        }

        return failures.ToResult();
    }
}

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException ex)
            {
                // The message names the bad keyword, never the password.
                failures.Add($"{DatabaseOptions.Section}:ConnectionString is not a valid Npgsql connection string: {ex.Message}");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{DatabaseOptions.Section}:DataDirectory must be set when {DatabaseOptions.Section}:ConnectionString is empty.");
        }

        return failures.ToResult();
    }
}

internal sealed class RunsOptionsValidator : IValidateOptions<RunsOptions>
{
    public ValidateOptionsResult Validate(string? name, RunsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{RunsOptions.Section}:Parallelism", options.Parallelism, 1);
        failures.AtLeast($"{RunsOptions.Section}:PerHostConcurrency", options.PerHostConcurrency, 1);
        if (!TryParseSchedule(options.Schedule, out var error))
        {
            failures.Add($"{RunsOptions.Section}:Schedule is not a valid cron expression ('{options.Schedule}'): {error}");
        }

        return failures.ToResult();
    }

    /// <summary>Five fields (minute hour day month weekday), as crontab has them.</summary>
    public static CronExpression ParseSchedule(string schedule) => CronExpression.Parse(schedule, CronFormat.Standard);

    private static bool TryParseSchedule(string? schedule, out string error)
    {
        if (string.IsNullOrWhiteSpace(schedule))
        {
            // Empty turns scheduled runs off.
            error = string.Empty;
            return true;
        }

        try
        {
            _ = ParseSchedule(schedule);
            error = string.Empty;
            return true;
        }
        catch (CronFormatException ex)
        {
            error = ex.Message;
            return false;
        }
    }
}

internal sealed class DemoOptionsValidator : IValidateOptions<DemoOptions>
{
    public ValidateOptionsResult Validate(string? name, DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{DemoOptions.Section}:Chains", options.Chains, 0);
        failures.AtLeast($"{DemoOptions.Section}:StoresPerChain", options.StoresPerChain, 1);
        failures.AtLeast($"{DemoOptions.Section}:ItemsPerStore", options.ItemsPerStore, 1);
        return failures.ToResult();
    }
}

internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new OptionsFailures();
        failures.AtLeast($"{RetentionOptions.Section}:FileLogDays", options.FileLogDays, 1);
        failures.AtLeast($"{RetentionOptions.Section}:PriceHistoryDays", options.PriceHistoryDays, 0);
        return failures.ToResult();
    }
}
