using System.CommandLine;
using Gogobe.Core.Scraping;
using Gogobe.Host.Api;
using Gogobe.Host.Console;
using Gogobe.Host.Hosting;

namespace Gogobe.Host.Cli;

/// <summary><c>gogobe serve</c>: hosts the dashboard page and the status API over the same database runs write to.</summary>
internal static class ServeCommand
{
    private static readonly Option<string?> Urls = new("--urls")
    {
        Description = "Addresses to listen on (default: ASPNETCORE_URLS, else http://127.0.0.1:8000).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("ASPNETCORE_URLS"),
    };

    public static Command Create()
    {
        var command = new Command("serve", "Serve the dashboard (dashboard.html) and the status API.")
        {
            Urls, CommonOptions.Demo, CommonOptions.DataDir, CommonOptions.Database,
        };
        command.SetAction(ServeAsync);
        return command;
    }

    private static async Task<int> ServeAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(parse.GetValue(Urls)) ? "http://127.0.0.1:8000" : parse.GetValue(Urls)!);
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        builder.Services.AddProblemDetails();

        using var loggerFactory = ConsoleLogging.Create();
        await using var database = await AppDatabase.OpenOrReportAsync(
            parse.GetValue(CommonOptions.Database), parse.GetRequiredValue(CommonOptions.DataDir),
            parse.GetValue(CommonOptions.Demo), loggerFactory, CliConsole.Create(), cancellationToken).ConfigureAwait(false);
        if (database is null)
        {
            return 3;
        }

        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(ScraperRegistry.Discover());
        builder.Services.AddSingleton(TimeProvider.System);

        await using var app = builder.Build();
        app.UseExceptionHandler();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapStatusApi();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }
}
