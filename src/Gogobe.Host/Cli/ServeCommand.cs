using System.CommandLine;
using Gogobe.Core.Scraping;
using Gogobe.Host.Api;
using Gogobe.Host.Configuration;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;
using Gogobe.Host.Logging;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary>
/// <c>gogobe serve</c>: the dashboard, the status and runs API and the health probes, over the same database runs write
/// to. Settings come from appsettings.json, the environment and these options (see docs/OPERATIONS.md); invalid
/// settings stop it before anything opens, with one line naming the setting.
/// </summary>
internal static class ServeCommand
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "Addresses to listen on, ';'-separated (Gogobe:Server:Urls; default: ASPNETCORE_URLS, else http://127.0.0.1:8000).",
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve the dashboard (dashboard.html), the status and runs API, /health and /alive.")
        {
            Urls, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database, OpsSettings.LogDir,
        };
        command.SetAction(ServeAsync);
        return command;
    }

    private static async Task<int> ServeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var console = CliConsole.Create();
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            // Always Production: Development would add the developer exception page, i.e. stack traces in responses.
            EnvironmentName = Environments.Production,
        });
        GogobeConfiguration.Compose(builder.Configuration, AppContext.BaseDirectory, CommandLineSettings(parse));
        if (GogobeConfiguration.ValidationFailure(builder.Configuration) is { } failure)
        {
            // Plain stderr, not the styled console: the line must stay one line whatever the terminal's width.
            await System.Console.Error.WriteLineAsync(failure).ConfigureAwait(false);
            return 2;
        }

        var server = GogobeConfiguration.Read<ServerOptions>(builder.Configuration, ServerOptions.Section);
        var databaseOptions = GogobeConfiguration.Read<DatabaseOptions>(builder.Configuration, DatabaseOptions.Section);
        var runs = GogobeConfiguration.Read<RunsOptions>(builder.Configuration, RunsOptions.Section);
        var shutdown = GogobeConfiguration.Read<ShutdownOptions>(builder.Configuration, ShutdownOptions.Section);
        var workers = GogobeConfiguration.Read<WorkersOptions>(builder.Configuration, WorkersOptions.Section);
        builder.Logging.AddGogobeLogFiles(GogobeConfiguration.Read<LogsOptions>(builder.Configuration, LogsOptions.Section));
        // Stopping (first signal) waits this long for hosted services (the active run, worker processes) to wind down.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdown.Grace);

        builder.Services.AddGogobeOptions(builder.Configuration);
        builder.WebHost.UseUrls([.. server.UrlList]);
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>>((kestrel, options) => kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes);
        builder.Logging.SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information)
            // The host logs a failed start with the whole stack trace; the catch around StartAsync says it in one line.
            .AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.AddProblemDetails();
        builder.Services.AddGogobeHealthChecks();
        builder.Services.AddGogobeTelemetry(console: false);

        using var loggerFactory = ConsoleLogging.Create();
        await using var database = await AppDatabase.OpenOrReportAsync(
            databaseOptions.ConnectionString, databaseOptions.DataDirectory, runs.Demo, loggerFactory, console, cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(ScraperRegistry.Discover());
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RunLauncher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RunLauncher>());
        builder.Services.AddHostedService<RunScheduler>();
        // In-process workers: they run the queued tasks (of this serve's runs or any other process's) and rescue orphans.
        builder.Services.AddHostedService<WorkerService>();
        builder.Services.AddHostedService<RetentionService>();
        builder.Services.AddSingleton<StatusBroadcaster>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StatusBroadcaster>());
        if (workers.Processes > 0)
        {
            // The database goes to the workers through the environment: a connection string on a command line is visible to ps.
            var workerCommand = WorkerLaunch.Self(new Dictionary<string, string> { ["GOGOBE_DB"] = database.ConnectionString });
            builder.Services.AddSingleton(services => new WorkerProcesses(
                workerCommand, workers, shutdown.Grace, TimeProvider.System, services.GetRequiredService<ILogger<WorkerProcesses>>()));
            builder.Services.AddHostedService(services => services.GetRequiredService<WorkerProcesses>());
        }

        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeMiddleware>();
        app.UseMiddleware<ApiTokenMiddleware>();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapHealthApi();
        app.MapStatusApi();
        app.MapStreamStatusApi();
        app.MapRunsApi();
        console.MarkupLine($"Database: [grey]{Markup.Escape(database.Description)}[/]");
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Typically the port is taken: say so in one line rather than with Kestrel's stack trace.
            console.MarkupLine($"[red]Cannot listen on {Markup.Escape(server.Urls)}:[/] {Markup.Escape(ex.Message)}");
            return 4;
        }

        // The host's own lifetime also stops on SIGTERM/SIGINT; these signals add the second stage: a second signal, or
        // the grace period running out, exits at once.
        using var signals = new ShutdownSignals(shutdown.Grace, TimeProvider.System, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Gogobe.Shutdown"));
        using var onStop = signals.Stopping.Register(app.Lifetime.StopApplication);
        var stopped = app.WaitForShutdownAsync(cancellationToken);
        if (!await signals.WaitUnlessForcedAsync(stopped).ConfigureAwait(false))
        {
            console.MarkupLine("[red]Stop forced:[/] exiting without waiting for the active run or the workers.");
            Environment.Exit(ExitCodes.Forced);
        }

        await stopped.ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The options given on the command line, as configuration keys (the highest-precedence source).</summary>
    private static Dictionary<string, string?> CommandLineSettings(ParseResult parse)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        // Only options actually given count: their defaults come from the lower layers (environment, appsettings.json).
        if (parse.GetResult(Urls) is { Implicit: false } urls)
        {
            settings[$"{ServerOptions.Section}:Urls"] = urls.GetValueOrDefault<string?>();
        }

        if (parse.GetResult(CommonOptions.Database) is { Implicit: false } db)
        {
            settings[$"{DatabaseOptions.Section}:ConnectionString"] = db.GetValueOrDefault<string?>();
        }

        if (parse.GetResult(CommonOptions.DataDir) is { Implicit: false } dataDir)
        {
            settings[$"{DatabaseOptions.Section}:DataDirectory"] = dataDir.GetValueOrDefault<string>();
        }

        if (parse.GetValue(CommonOptions.Demo))
        {
            settings[$"{RunsOptions.Section}:Demo"] = "true";
        }

        foreach (var (key, value) in OpsSettings.CommandLine(parse))
        {
            settings[key] = value;
        }

        return settings;
    }
}
