using System.Globalization;
using System.Text.Json;
using AngleSharp.Dom;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// What the Cerberus web client's pages and JSON say, read as the real portal writes them (SHAPES.md §1, and the real
/// captures of its login, failed-login and file manager pages): the CSRF token, whether a page is the logged-in file
/// manager or the login form again, and the rows of a <c>file/json/dir</c> answer.
/// </summary>
internal static class CerberusWebPages
{
    /// <summary>
    /// The page's CSRF token: today only <c>&lt;meta name="csrftoken"&gt;</c>; the 2018 client had an element
    /// <c>id="csrftoken"</c> with a value, and a hidden input is accepted too.
    /// </summary>
    public static string? CsrfToken(IDocument document) =>
        NonEmpty(document.QuerySelector("meta[name=csrftoken]")?.GetAttribute("content"))
        ?? NonEmpty(document.QuerySelector("#csrftoken")?.GetAttribute("value"))
        ?? NonEmpty(document.QuerySelector("input[name=csrftoken]")?.GetAttribute("value"));

    /// <summary>
    /// Whether the page is the file manager of a logged-in session. A refused login answers 200 with the login form again
    /// ("Not currently logged in"), so the status code says nothing: the page does.
    /// </summary>
    public static bool IsLoggedIn(IDocument document) =>
        document.QuerySelector("form#login-form") is null
        && (document.QuerySelector("table#fileList") is not null || (document.Body?.TextContent.Contains("Logged in as", StringComparison.Ordinal) ?? false));

    /// <summary>The login form is on the page (a refusal, or a session that is not logged in).</summary>
    public static bool IsLoginPage(IDocument document) => document.QuerySelector("form#login-form") is not null;

    /// <summary>
    /// The rows of a DataTables 1.9 answer (<c>{"sEcho", "iTotalRecords", "iTotalDisplayRecords", "aaData": [...]}</c>).
    /// A row's name is <c>fname</c>, <c>name</c> or (2018) <c>value</c>; rows whose <c>type</c> is not <c>file</c> are
    /// folders; <c>ftime</c> is <c>MM/dd/yyyy HH:mm</c> or empty. Null when the answer has no <c>aaData</c> array.
    /// </summary>
    public static DirectoryPage? ReadDirectory(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("aaData", out var rows) || rows.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var entries = new List<DirectoryEntry>(rows.GetArrayLength());
        foreach (var row in rows.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var type = Text(row, "type");
            if (type is not null && !type.Equals("file", StringComparison.OrdinalIgnoreCase))
            {
                continue; // a folder
            }

            var name = (Text(row, "fname") ?? Text(row, "name") ?? Text(row, "value"))?.Trim();
            if (!string.IsNullOrEmpty(name))
            {
                entries.Add(new DirectoryEntry(name, Size(row), ListingText.Time(Text(row, "ftime"), "MM/dd/yyyy HH:mm", "MM/dd/yyyy HH:mm:ss")));
            }
        }

        var total = root.TryGetProperty("iTotalDisplayRecords", out var t) && t.TryGetInt32(out var count) ? count : (int?)null;
        return new DirectoryPage(entries, rows.GetArrayLength(), total);
    }

    private static string? Text(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
            JsonValueKind.String => ListingText.Size(size.GetString()) ?? 0,
            _ => 0,
        };
        return value > 0 ? value : null;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <param name="Rows">Every row of the page, folders included: a page shorter than asked for is the last.</param>
    /// <param name="Total">The server's <c>iTotalDisplayRecords</c>, when it says.</param>
    internal sealed record DirectoryPage(IReadOnlyList<DirectoryEntry> Files, int Rows, int? Total);

    internal sealed record DirectoryEntry(string Name, long? Size, DateTime? PublishedAt);
}
