using System.Globalization;
using Spectre.Console;

namespace Gogobe.Host.Console;

/// <summary>
/// The console the verbs write to. When output goes to a file or a CI log there is no terminal width to
/// measure, and Spectre's 80-column fallback wraps the summary table into an unreadable column of fragments.
/// </summary>
internal static class CliConsole
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Console;
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None, CultureInfo.InvariantCulture, out var columns) && columns >= 80
                ? columns
                : 160;
        }

        return console;
    }
}
