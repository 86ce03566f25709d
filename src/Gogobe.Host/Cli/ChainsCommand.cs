using System.CommandLine;
using Gogobe.Core.Scraping;
using Spectre.Console;

namespace Gogobe.Host.Cli;

/// <summary><c>gogobe chains</c>: the chains the registry found, with their portal family and address.</summary>
internal static class ChainsCommand
{
    public static Command Create()
    {
        var command = new Command("chains", "List the registered chains (found by reflection) and their portals.");
        command.SetAction(_ =>
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Chain", "Chain id", "Family", "Portal", "Class");
            foreach (var scraper in ScraperRegistry.Discover().Scrapers)
            {
                table.AddRow(
                    Markup.Escape(scraper.Chain.Name),
                    scraper.Chain.Id,
                    scraper.Portal.Family,
                    Markup.Escape(scraper.Portal.Address.ToString()),
                    Markup.Escape(scraper.GetType().FullName ?? scraper.GetType().Name));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }
}
