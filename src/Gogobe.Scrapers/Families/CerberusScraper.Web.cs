using System.Runtime.CompilerServices;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// The web flavour (url.publishedprices.co.il), as the real portal behaves (SHAPES.md §1): the login page carries its
/// CSRF token only in a meta tag; <c>POST login/user</c> answers a refusal with the login page again (200), and a
/// success with a 302 to <c>/file</c> and a rotated session cookie; the file manager page carries a new token for the
/// JSON listing, <c>POST file/json/dir</c> (DataTables 1.9), read a page of 1,000 rows at a time as the portal's own
/// page does; a file is <c>GET file/d/&lt;folder&gt;/&lt;name&gt;</c>. The simulator serves the same, from the real pages.
/// </summary>
public abstract partial class CerberusScraper
{
    /// <summary>Rows per listing request: the portal's own page asks for 1,000 (<c>dtDisplayLength</c>).</summary>
    internal const int DirectoryPageLength = 1000;

    /// <summary>Far beyond any chain's history (Rami Levy keeps about 2,400 files); reaching it means the paging never ends.</summary>
    private const int MaxDirectoryPages = 1000;

    private async IAsyncEnumerable<PublishedFile> ListWebAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var csrf = await LogInAsync(context, cancellationToken).ConfigureAwait(false);
        var files = await ListFolderAsync(context, csrf, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"{Chain}: the Cerberus listing of {Folder} returned no files for user {User}.");
        }

        ScraperLog.CerberusListed(context.Logger, Chain, User, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>Logs in and returns the token of the file manager page, for the listing. The session lives in the client's cookies.</summary>
    private async Task<string> LogInAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        var parser = new HtmlParser();
        var loginAddress = context.Resolve("login");
        var loginPage = await PortalHttp.GetTextAsync(context.Http, loginAddress, Chain, "Cerberus login page", cancellationToken).ConfigureAwait(false);
        string csrf;
        string returnTo;
        using (var document = await parser.ParseDocumentAsync(loginPage, cancellationToken).ConfigureAwait(false))
        {
            csrf = CerberusWebPages.CsrfToken(document)
                ?? throw new PortalChangedException(Chain, "login", $"the login page {loginAddress}", "no <meta name=\"csrftoken\">");
            returnTo = document.QuerySelector("form#login-form input[name=r]")?.GetAttribute("value") ?? "";
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, context.Resolve("login/user"));
        request.Headers.Add("X-CSRFToken", csrf);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["r"] = returnTo,
            ["username"] = User,
            ["password"] = Password,
            ["Submit"] = "Sign in",
            ["csrftoken"] = csrf,
        });
        using var response = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        PortalHttp.EnsureSuccess(response, Chain, $"Cerberus login for user {User}");
        var landing = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var landed = await parser.ParseDocumentAsync(landing, cancellationToken).ConfigureAwait(false);
        var landedAt = response.RequestMessage?.RequestUri ?? loginAddress;
        if (CerberusWebPages.IsLoggedIn(landed))
        {
            // The file manager page carries a token of its own; the login page's is not accepted there.
            return CerberusWebPages.CsrfToken(landed) ?? csrf;
        }

        if (CerberusWebPages.IsLoginPage(landed) && landedAt.AbsolutePath.EndsWith("/file", StringComparison.Ordinal))
        {
            // Redirected to the file manager, yet shown the login page: the session cookie the login rotated was not kept.
            throw new PortalChangedException(Chain, "login", $"the file manager page after logging in ({landedAt})",
                "the login form: the session cookie set by the login was not kept");
        }

        if (CerberusWebPages.IsLoginPage(landed))
        {
            var error = landed.QuerySelector("#errmsg, .alert-danger")?.TextContent.Trim();
            throw new CerberusLoginRefusedException(
                $"{Chain}: login: the Cerberus portal refused user {User}: "
                + (string.IsNullOrEmpty(error) ? $"it answered its login page again ({landedAt})" : error));
        }

        throw new PortalChangedException(Chain, "login", $"the page after logging in ({landedAt})", "neither the file manager nor the login form");
    }

    private async Task<List<PublishedFile>> ListFolderAsync(ScrapeContext context, string csrf, CancellationToken cancellationToken)
    {
        var address = context.Resolve("file/json/dir");
        var downloads = "file/d" + (Folder == "/" ? "/" : Folder + "/");
        var files = new List<PublishedFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var page = 0; ; page++)
        {
            if (page == MaxDirectoryPages)
            {
                throw new InvalidOperationException($"{Chain}: the Cerberus listing of {Folder} still had rows after {MaxDirectoryPages} pages.");
            }

            var listing = await DirectoryPageAsync(context, address, csrf, page * DirectoryPageLength, cancellationToken).ConfigureAwait(false);
            var added = 0;
            foreach (var entry in listing.Files)
            {
                if (seen.Add(entry.Name))
                {
                    added++;
                    files.Add(new PublishedFile(entry.Name, context.Resolve(downloads + Uri.EscapeDataString(entry.Name)), entry.Size, entry.PublishedAt));
                }
            }

            if (page > 0 && listing.Files.Count > 0 && added == 0)
            {
                // A later page that repeats the first: the portal ignores iDisplayStart, and files past the first page would be lost.
                throw new PortalChangedException(Chain, "listing", $"page {page + 1} of {address}", "only files of the pages before (iDisplayStart ignored)");
            }

            var read = (page * DirectoryPageLength) + listing.Rows;
            if (listing.Rows < DirectoryPageLength || (listing.Total is { } total && read >= total))
            {
                return files;
            }
        }
    }

    private async Task<CerberusWebPages.DirectoryPage> DirectoryPageAsync(
        ScrapeContext context, Uri address, string csrf, int start, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, address);
        request.Headers.Add("X-CSRFToken", csrf);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sEcho"] = "1",
            ["iColumns"] = "5",
            ["sColumns"] = ",,,,",
            ["iDisplayStart"] = start.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["iDisplayLength"] = DirectoryPageLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["mDataProp_0"] = "fname",
            ["mDataProp_1"] = "typeLabel",
            ["mDataProp_2"] = "size",
            ["mDataProp_3"] = "ftime",
            ["mDataProp_4"] = "",
            ["sSearch"] = "",
            ["bRegex"] = "false",
            // Oldest first, so files published while the pages are read land on a later page, not between them.
            ["iSortingCols"] = "1",
            ["iSortCol_0"] = "3",
            ["sSortDir_0"] = "asc",
            ["cd"] = Folder,
            ["csrftoken"] = csrf,
        });
        using var response = await context.Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        PortalHttp.EnsureSuccess(response, Chain, $"Cerberus listing of {Folder} for user {User}");
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            JsonDocument json;
            try
            {
                json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new PortalChangedException(Chain, "listing", $"the answer of {address}", $"no JSON ({ex.Message})", ex);
            }

            using (json)
            {
                return CerberusWebPages.ReadDirectory(json.RootElement)
                    ?? throw new PortalChangedException(Chain, "listing", $"the answer of {address}", "no aaData array");
            }
        }
    }
}
