using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Scrapers.Families;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.Simulator.Tests.Captures;

/// <summary>The Shufersal, Bina and Laib families' own code over the real responses others saved (Captures/SOURCES.md).</summary>
public sealed partial class PageCaptureTests
{
    private static readonly DateOnly July16 = new(2026, 7, 16);

    [Fact]
    public async Task ShufersalGrid_shufersal_UpdateCategory_catID5_grid_fragment_2026_07_16_html_GivesItsStoresFile()
    {
        var handler = new CaptureHandler(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.ShufersalGridFragment));
        var files = await ListAsync(new Shufersal(), handler, July16);

        var file = Assert.Single(files);
        Assert.Equal("Stores7290027600007-000-20260716-020.gz", file.Name);
        Assert.Equal("pricesprodpublic.blob.core.windows.net", file.Location.Host);
        Assert.Equal("/stores/Stores7290027600007-000-20260716-020.gz", file.Location.AbsolutePath);
        Assert.Contains("&sr=b&sig=", file.Location.Query, StringComparison.Ordinal); // &amp; in the page, & in the link
        Assert.Contains("&se=2026-07-16T20%3A15%3A27Z&sp=r", file.Location.Query, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 7, 16, 0, 20, 0), file.PublishedAt);
        Assert.Equal((long)Math.Round(12.42 * 1024), file.Size);
        Assert.Single(handler.Asked); // no pager: one page
    }

    [Fact]
    public async Task ShufersalGrid_shufersal_grid_row_2018_01_10_from_code_comment_txt_GivesItsPriceFile()
    {
        // The row as pasted in a comment: without the comment marks, in the grid it came from.
        var row = string.Join('\n', Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.ShufersalGridRow2018)
            .Split('\n').Select(line => CommentMark().Replace(line, "")));
        var handler = new CaptureHandler($"<table class=\"webgrid\"><tbody>{row}</tbody></table>");
        var files = await ListAsync(new Shufersal(), handler, new DateOnly(2018, 1, 10));

        var file = Assert.Single(files);
        Assert.Equal("Price7290027600007-001-201801101430.gz", file.Name);
        Assert.Equal("http", file.Location.Scheme);
        Assert.Equal(new DateTime(2018, 1, 10, 14, 30, 0), file.PublishedAt);
        Assert.Equal(664, file.Size);
    }

    [Fact]
    public async Task BinaPage_bina_Main_aspx_kingstore_html_NumbersTheKindsAsTheScraperAsks()
    {
        var html = Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.BinaMainPage);
        using var page = await new HtmlParser().ParseDocumentAsync(html);

        var options = page.QuerySelectorAll("select#wFileType option")
            .ToDictionary(o => int.Parse(o.GetAttribute("value")!, System.Globalization.CultureInfo.InvariantCulture), o => o.TextContent.Trim());
        var hebrew = new Dictionary<string, string>
        {
            ["Stores"] = "מחסנים", ["Price"] = "מחירים", ["Promo"] = "מבצעים", ["PriceFull"] = "מחירים מלא", ["PromoFull"] = "מבצעים מלא",
        };

        Assert.Equal("הכל", options[0]);
        Assert.All(BinaProjectsScraper.FileTypes, type => Assert.Equal(hebrew[type.Value], options[type.Key]));

        // The page's own script: the listing and download calls and the keys the scraper reads.
        var script = string.Join('\n', page.QuerySelectorAll("script").Select(s => s.TextContent));
        Assert.Contains("url: 'MainIO_Hok.aspx'", script, StringComparison.Ordinal);
        Assert.Contains("url: 'Download.aspx?FileNm=' + FileNm", script, StringComparison.Ordinal);
        Assert.Contains("data[i].FileNm", script, StringComparison.Ordinal);
        Assert.Contains("data[i].DateFile", script, StringComparison.Ordinal);
        Assert.Contains("data[i].SPath", script, StringComparison.Ordinal);
    }

    [Fact]
    public void LaibOptions_laibcatalog_root_page_MainContent_chain_options_derived_txt_NameTheRegistrysLaibChains()
    {
        var listed = LaibOption().Matches(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.LaibChainOptions))
            .Select(m => m.Groups["id"].Value).Where(id => id != "-1").Order(StringComparer.Ordinal);
        var laib = ScraperRegistry.FromTypes(typeof(Victory).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(SupermarketScraper)))).Scrapers.Where(s => s is LaibCatalogScraper).Select(s => s.Chain.Id).Order(StringComparer.Ordinal);

        Assert.Equal(listed, laib);
    }

    [Fact]
    public void EveryCapture_IsReadByATestOfThisClassOrCerberusCaptureTests()
    {
        // A capture added to Captures/ without a test reading it would be evidence nobody checks.
        var names = typeof(PageCaptureTests).GetMethods().Concat(typeof(CerberusCaptureTests).GetMethods()).Select(m => m.Name).ToList();
        foreach (var capture in Gogobe.Simulator.Captures.All)
        {
            var token = Regex.Replace(Path.GetFileName(capture), "[^A-Za-z0-9]", "_");
            Assert.True(names.Any(n => n.Contains(token, StringComparison.Ordinal)), $"no test names {capture}");
        }

        var embedded = typeof(Gogobe.Simulator.Captures).Assembly.GetManifestResourceNames().Where(n => n.StartsWith("Captures/", StringComparison.Ordinal));
        Assert.Equal(Gogobe.Simulator.Captures.All.Select(c => "Captures/" + c).Order(StringComparer.Ordinal), embedded.Order(StringComparer.Ordinal));
    }

    private static async Task<List<PublishedFile>> ListAsync(SupermarketScraper scraper, CaptureHandler handler, DateOnly day)
    {
        using var http = new HttpClient(handler);
        var context = new ScrapeContext(http, scraper.Portal.Address, new Families.DayClock(day), NullLogger.Instance);
        return await scraper.ListFilesAsync(context, CancellationToken.None).ToListAsync();
    }

    [GeneratedRegex(@"^\s*//\s?", RegexOptions.CultureInvariant)]
    private static partial Regex CommentMark();

    [GeneratedRegex(@"ID: (?<id>-?\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex LaibOption();
}
