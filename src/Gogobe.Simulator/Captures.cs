using System.Collections.Concurrent;

namespace Gogobe.Simulator;

/// <summary>
/// The real portal responses others saved (<c>Captures/SOURCES.md</c> names each one's source), embedded: the simulator
/// renders its pages from them, and the contract tests read them with each family's own code.
/// </summary>
public static class Captures
{
    public const string CerberusLoginPage = "cerberus/login_page_r_file.html";
    public const string CerberusFailedLoginPage = "cerberus/login_page_after_failed_login_RamiLevi.html";
    public const string CerberusFileManagerPage = "cerberus/file_manager_page_after_login_RamiLevi.html";
    public const string CerberusFtpReplies = "cerberus/ftp_server_replies.quoted.txt";
    public const string BinaMainPage = "bina/Main.aspx_kingstore.html";
    public const string ShufersalGridFragment = "shufersal/UpdateCategory_catID5_grid_fragment_2026-07-16.html";
    public const string ShufersalGridRow2018 = "shufersal/grid_row_2018-01-10_from_code_comment.txt";
    public const string LaibChainOptions = "laibcatalog/root_page_MainContent_chain_options.derived.txt";

    /// <summary>Every capture, by its path under <c>Captures/</c>.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        CerberusLoginPage, CerberusFailedLoginPage, CerberusFileManagerPage, CerberusFtpReplies, BinaMainPage,
        ShufersalGridFragment, ShufersalGridRow2018, LaibChainOptions,
    ];

    private static readonly ConcurrentDictionary<string, string> Texts = new(StringComparer.Ordinal);

    /// <summary>The capture's text as saved (UTF-8).</summary>
    public static string Read(string path) => Texts.GetOrAdd(path, static p =>
    {
        using var stream = typeof(Captures).Assembly.GetManifestResourceStream("Captures/" + p)
            ?? throw new ArgumentException($"No capture {p} is embedded.", nameof(path));
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return reader.ReadToEnd();
    });
}
