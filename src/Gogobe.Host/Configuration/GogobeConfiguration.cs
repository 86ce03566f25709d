using Microsoft.Extensions.Options;

namespace Gogobe.Host.Configuration;

/// <summary>
/// Where <c>gogobe serve</c>'s settings come from, lowest precedence first: <c>appsettings.json</c> next to the
/// executable, the older variables (<c>ASPNETCORE_URLS</c>, <c>GOGOBE_DB</c>, <c>GOGOBE_DATA_DIR</c>), environment
/// variables in the standard form (<c>Gogobe__Server__Token</c>), then the command-line options.
/// </summary>
internal static class GogobeConfiguration
{
    private static readonly (string Variable, string Key)[] LegacyVariables =
    [
        ("ASPNETCORE_URLS", $"{ServerOptions.Section}:Urls"),
        ("GOGOBE_DB", $"{DatabaseOptions.Section}:ConnectionString"),
        ("GOGOBE_DATA_DIR", $"{DatabaseOptions.Section}:DataDirectory"),
    ];

    /// <summary>Replaces the builder's default sources with Gogobe's, in the order above.</summary>
    public static void Compose(IConfigurationBuilder configuration, string baseDirectory, IReadOnlyDictionary<string, string?> commandLine)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Clear();
        configuration.AddJsonFile(Path.Combine(baseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        configuration.AddInMemoryCollection(LegacyVariables
            .Select(v => (v.Key, Value: Environment.GetEnvironmentVariable(v.Variable)))
            .Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)));
        configuration.AddEnvironmentVariables();
        configuration.AddInMemoryCollection(commandLine);
    }

    /// <summary>The section bound as <typeparamref name="TOptions"/> (defaults where unset); valid once <see cref="ValidationFailure"/> said so.</summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new() =>
        configuration.GetSection(section).Get<TOptions>() ?? new TOptions();

    /// <summary>Binds every <c>Gogobe:*</c> section to its options class, validated when the host starts.</summary>
    public static IServiceCollection AddGogobeOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Add<ServerOptions, ServerOptionsValidator>(services, configuration, ServerOptions.Section);
        Add<DatabaseOptions, DatabaseOptionsValidator>(services, configuration, DatabaseOptions.Section);
        Add<RunsOptions, RunsOptionsValidator>(services, configuration, RunsOptions.Section);
        Add<DemoOptions, DemoOptionsValidator>(services, configuration, DemoOptions.Section);
        Add<RetentionOptions, RetentionOptionsValidator>(services, configuration, RetentionOptions.Section);
        Add<DashboardOptions, DashboardOptionsValidator>(services, configuration, DashboardOptions.Section);
        Add<PortalHttpOptions, PortalHttpOptionsValidator>(services, configuration, PortalHttpOptions.Section);
        Add<LogsOptions, LogsOptionsValidator>(services, configuration, LogsOptions.Section);
        Add<ShutdownOptions, ShutdownOptionsValidator>(services, configuration, ShutdownOptions.Section);
        Add<WorkersOptions, WorkersOptionsValidator>(services, configuration, WorkersOptions.Section);
        return services;
    }

    /// <summary>
    /// Runs the start-up validation of <see cref="AddGogobeOptions"/> now, before anything is opened or bound, and returns
    /// the one line to show when it fails (null when the settings are valid): every failure named by its key, no stack trace.
    /// </summary>
    public static string? ValidationFailure(IConfiguration configuration)
    {
        using var services = new ServiceCollection().AddGogobeOptions(configuration).BuildServiceProvider();
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return null;
        }
        catch (OptionsValidationException ex)
        {
            return Line(ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            return Line(ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures));
        }
        catch (InvalidOperationException ex)
        {
            // The binder's own failure, e.g. "Failed to convert configuration value at 'Gogobe:Runs:Parallelism' to type 'System.Int32'."
            return Line([ex.Message]);
        }
    }

    private static string Line(IEnumerable<string> failures) => "Invalid configuration: " + string.Join(" ", failures);

    private static void Add<TOptions, TValidator>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
