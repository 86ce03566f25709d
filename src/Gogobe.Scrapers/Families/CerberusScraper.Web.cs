using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AngleSharp.Html.Parser;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>The web flavour (url.publishedprices.co.il): what the simulator serves and <c>gogobe run --demo</c> uses.</summary>
public abstract partial class CerberusScraper
{
    private async IAsyncEnumerable<PublishedFile> ListWebAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var csrf = await LogInAsync(context, cancellationToken).ConfigureAwait(false);
        var files = await ListRootAsync(context, csrf, cancellationToken).ConfigureAwait(false);
        if (files.Count == 0)
        {
            throw new InvalidOperationException($"{Chain}: Cerberus listing returned no files for user {User}.");
        }

        ScraperLog.CerberusListed(context.Logger, Chain, User, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    /// <summary>Logs in and returns the CSRF token to send with later requests. The session lives in the client's cookies.</summary>
    private async Task<string> LogInAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        var parser = new HtmlParser();
        var loginPage = await PortalHttp.GetTextAsync(context.Http, context.Resolve("login"), Chain, "Cerberus login page", cancellationToken).ConfigureAwait(false);
        string csrf;
        using (var document = await parser.ParseDocumentAsync(loginPage, cancellationToken).ConfigureAwait(false))
        {
            csrf = CsrfToken(document)
                ?? throw new InvalidOperationException($"{Chain}: the Cerberus login page has no CSRF token; the portal may have changed.");
        }

        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = User,
            ["password"] = Password,
            ["csrftoken"] = csrf,
            ["Submit"] = "Sign in",
        });
        using var response = await context.Http.PostAsync(context.Resolve("login/user"), form, cancellationToken).ConfigureAwait(false);
        PortalHttp.EnsureSuccess(response, Chain, $"Cerberus login for user {User}");
        var landing = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var landed = await parser.ParseDocumentAsync(landing, cancellationToken).ConfigureAwait(false);

        // A refused login redirects back to the login page, which shows why.
        var finalPath = response.RequestMessage?.RequestUri?.AbsolutePath ?? "";
        var error = landed.QuerySelector("#errmsg, .alert-danger, .error")?.TextContent.Trim();
        if (finalPath.EndsWith("/login", StringComparison.OrdinalIgnoreCase) || landed.QuerySelector("form#login-form") is not null || !string.IsNullOrEmpty(error))
        {
            throw new InvalidOperationException(
                $"Cerberus login failed for user {User} ({Chain}): {(string.IsNullOrEmpty(error) ? "the portal returned to the login page" : error)}");
        }

        // The file page carries a fresh token when the portal rotates it.
        return CsrfToken(landed) ?? csrf;
    }

    private async Task<List<PublishedFile>> ListRootAsync(ScrapeContext context, string csrf, CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sEcho"] = "1",
            ["iDisplayStart"] = "0",
            ["iDisplayLength"] = "100000",
            ["sSearch"] = "",
            ["cd"] = Folder,
            ["csrftoken"] = csrf,
        });
        using var response = await context.Http.PostAsync(context.Resolve("file/json/dir"), form, cancellationToken).ConfigureAwait(false);
        PortalHttp.EnsureSuccess(response, Chain, $"Cerberus listing for user {User}");
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!json.RootElement.TryGetProperty("aaData", out var rows) || rows.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidOperationException($"{Chain}: the Cerberus listing for user {User} has no aaData array; the portal may have changed.");
            }

            var files = new List<PublishedFile>(rows.GetArrayLength());
            foreach (var row in rows.EnumerateArray())
            {
                if (row.TryGetProperty("type", out var type) && type.GetString() is { } kind && kind != "file")
                {
                    continue; // folders
                }

                var name = (row.TryGetProperty("name", out var n) ? n.GetString() : null)
                    ?? (row.TryGetProperty("value", out var v) ? v.GetString() : null);
                if (string.IsNullOrWhiteSpace(name))
                {
                    continue;
                }

                files.Add(new PublishedFile(name, context.Resolve("file/d/" + Uri.EscapeDataString(name)), Size(row)));
            }

            return files;
        }
    }

    private static string? CsrfToken(AngleSharp.Dom.IDocument document) =>
        document.QuerySelector("meta[name=csrftoken]")?.GetAttribute("content")
        ?? document.QuerySelector("input[name=csrftoken]")?.GetAttribute("value");

    private static long? Size(JsonElement row)
    {
        if (!row.TryGetProperty("size", out var size))
        {
            return null;
        }

        var value = size.ValueKind switch
        {
            JsonValueKind.Number when size.TryGetInt64(out var number) => number,
            JsonValueKind.String when long.TryParse(size.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => 0,
        };
        return value > 0 ? value : null;
    }
}
