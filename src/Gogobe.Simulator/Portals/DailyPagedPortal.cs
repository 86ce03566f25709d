using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Gogobe.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The chains' own date-selecting price sites with an HTML table and a pager, each as SHAPES.md §6–7 describe it
/// (no real page was saved; the shapes come from the live-tested scrapers):
/// <list type="bullet">
/// <item>Hazi Hinam: <c>Prices?t=&amp;f=&amp;d=YYYY-MM-DD&amp;p=</c>, <c>table.table-striped</c> with the name without its
/// extension in cell 3, the size in KB in 5, a stable blob link in 6; an <c>li.pagination-item</c> pager whose links
/// drop <c>d</c>.</item>
/// <item>Super-Pharm: <c>?Category-equals=&amp;Date-equals=dd/MM/yyyy&amp;page=</c>, an MVC grid <c>table.gzTable</c>
/// (row number, name, date, type, branch, link <c>/Download/name?bucketName=…</c>), a <c>.mvc-grid-pager</c> of buttons
/// with <c>data-page</c>; the link answers the file itself or JSON <c>{"href"}</c> (half the files each way, as sources
/// disagree).</item>
/// <item>City Market shops: <c>?t=&amp;f=&amp;s=&amp;d=&amp;p=</c>, <c>table.table-striped</c> with the name without its
/// extension in cell 3, the size in KB in 6, an opaque <c>/downloadFile/&lt;uuid&gt;</c> link in 7 whose answer names the
/// file only in <c>Content-Disposition</c>; the same pager.</item>
/// </list>
/// <see cref="SimulatorOptions.ListingPageSize"/> files a page.
/// </summary>
internal sealed class DailyPagedPortal
{
    public const string HaziHinamBlobHost = "hazihinamprod01.blob.core.windows.net";
    public const string SuperPharmBucket = "sp_transparency_output_prod_v2";

    private readonly SimulatedWorld _world;
    private readonly SimulatedChain _chain;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly string _family;

    public DailyPagedPortal(SimulatedWorld world, SimulatedChain chain, ILogger logger)
    {
        _world = world;
        _chain = chain;
        _logger = logger;
        _prefix = PortalFiles.Prefix(chain.Portal.Address);
        _family = chain.Portal.Family is PortalFamilies.HaziHinamHtml or PortalFamilies.SuperPharmHtml or PortalFamilies.CityMarketHtml
            ? chain.Portal.Family
            : throw new ArgumentException($"{chain.Portal.Family} is not a date-selecting paged site.", nameof(chain));
    }

    private string ChainId => _chain.Chain.Id;

    public void Map(IEndpointRouteBuilder routes)
    {
        switch (_family)
        {
            case PortalFamilies.HaziHinamHtml:
                routes.MapGet(_prefix + "/Prices", HaziHinamAsync);
                routes.MapGet("/" + HaziHinamBlobHost + "/regulatories/{name}", context => PortalFiles.DownloadAsync(context, _world, ChainId, _logger));
                break;
            case PortalFamilies.SuperPharmHtml:
                routes.MapGet(_prefix + "/", SuperPharmAsync);
                routes.MapGet(_prefix + "/Download/{name}", SuperPharmLinkAsync);
                routes.MapGet(_prefix + "/files/{name}", context => PortalFiles.DownloadAsync(context, _world, ChainId, _logger));
                break;
            default:
                routes.MapGet(_prefix + "/", CityMarketAsync);
                routes.MapGet(_prefix + "/downloadFile/{id}", CityMarketDownloadAsync);
                break;
        }
    }

    private Task HaziHinamAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryDay(context, "d", "yyyy-MM-dd", out var day))
        {
            return BadDayAsync(context, "d", "yyyy-MM-dd");
        }

        var files = Files(day, f => Numbered(query["t"].ToString(), f.Kind));
        var (page, pages, rows) = Page(files, query["p"].ToString());
        var html = Start("table class=\"table table-striped\"", ["#", "סניף", "שם קובץ", "תאריך", "גודל (KB)", "הורדה"]);
        var n = (page - 1) * _world.Options.ListingPageSize;
        foreach (var file in rows)
        {
            var link = $"https://{HaziHinamBlobHost}/regulatories/{Uri.EscapeDataString(file.Name)}";
            Row(html, (++n).ToString(CultureInfo.InvariantCulture), Branch(file), WithoutExtension(file.Name),
                file.Time.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture), Kilobytes(file), LinkCell(Loopback(context, link)));
        }

        // The real pager's links keep t, f and p but drop the day.
        EndTable(html);
        PaginationItems(html, page, pages, target => $"?t={Uri.EscapeDataString(query["t"].ToString())}&f=null&p={target}");
        return Html(context, End(html));
    }

    private Task SuperPharmAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryDay(context, "Date-equals", "dd/MM/yyyy", out var day))
        {
            return BadDayAsync(context, "Date-equals", "dd/MM/yyyy");
        }

        var category = query["Category-equals"].ToString();
        var files = Files(day, f => string.Equals(category, f.Kind.ToString(), StringComparison.OrdinalIgnoreCase));
        var (page, pages, rows) = Page(files, query["page"].ToString());
        var html = new StringBuilder(8 * 1024).Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(_chain.Chain.Name)).Append("</title></head><body>")
            .Append(CultureInfo.InvariantCulture, $"<div class=\"mvc-grid\" data-total-rows=\"{files.Count}\">")
            .Append("<table class=\"gzTable\"><thead><tr><th>מספר</th><th>שם קובץ</th><th>תאריך</th><th>סוג</th><th>שם סניף</th><th>הורדה</th></tr></thead><tbody>");
        var n = (page - 1) * _world.Options.ListingPageSize;
        foreach (var file in rows)
        {
            var link = $"{_prefix}/Download/{Uri.EscapeDataString(file.Name)}?bucketName={SuperPharmBucket}";
            Row(html, (++n).ToString(CultureInfo.InvariantCulture), file.Name, file.Time.ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture),
                file.Kind.ToString(), file.StoreId == 0 ? "" : _world.StoreName(ChainId, file.StoreId), LinkCell(link));
        }

        html.Append("</tbody></table><div class=\"mvc-grid-pager\">");
        if (pages > 1)
        {
            void Button(int target, string text, bool disabled) => html.Append("<button type=\"button\"")
                .Append(CultureInfo.InvariantCulture, $" data-page=\"{target}\"").Append(disabled ? " class=\"active\" disabled" : "").Append('>')
                .Append(WebUtility.HtmlEncode(text)).Append("</button>");
            Button(1, "«", page == 1);
            Button(Math.Max(1, page - 1), "‹", page == 1);
            for (var p = Math.Max(1, page - 2); p <= Math.Min(pages, page + 2); p++)
            {
                Button(p, p.ToString(CultureInfo.InvariantCulture), p == page);
            }

            Button(Math.Min(pages, page + 1), "›", page == pages);
            Button(pages, "»", page == pages);
        }

        return Html(context, html.Append("</div></div></body></html>").ToString());
    }

    /// <summary>Super-Pharm's link: the file itself for half the files, JSON <c>{"href"}</c> to it for the other half.</summary>
    private Task SuperPharmLinkAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        if (Det.Below(Det.Of("super-pharm-link:" + name), 2) == 0)
        {
            return PortalFiles.ServeAsync(context, _world, ChainId, name, _logger);
        }

        if (!_world.IsPublished(ChainId, name))
        {
            SimulatorLog.UnknownFile(_logger, name);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(new Dictionary<string, string> { ["href"] = _prefix + "/files/" + Uri.EscapeDataString(name) }), context.RequestAborted);
    }

    private Task CityMarketAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryDay(context, "d", "yyyy-MM-dd", out var day))
        {
            return BadDayAsync(context, "d", "yyyy-MM-dd");
        }

        var full = query["f"].ToString();
        var store = int.TryParse(query["s"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (int?)null;
        var files = Files(day, f => Numbered(query["t"].ToString(), f.Kind)
            && (full.Length == 0 || f.Kind == FileKind.Stores || (full == "1") == f.Kind is FileKind.PriceFull or FileKind.PromoFull)
            && (store is null || f.Kind == FileKind.Stores || f.StoreId == store));
        var (page, pages, rows) = Page(files, query["p"].ToString());
        var html = Start("table class=\"table table-striped\"", ["#", "סניף", "שם קובץ", "סוג", "תאריך", "גודל (KB)", "הורדה"]);
        var n = (page - 1) * _world.Options.ListingPageSize;
        foreach (var file in rows)
        {
            Row(html, (++n).ToString(CultureInfo.InvariantCulture), Branch(file), WithoutExtension(file.Name), file.Kind.ToString(),
                file.Time.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture), Kilobytes(file), LinkCell($"{_prefix}/downloadFile/{DownloadId(file.Name)}"));
        }

        EndTable(html);
        PaginationItems(html, page, pages, target => "?" + string.Join('&', query.Where(q => q.Key != "p")
            .Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value.ToString())).Append($"p={target}")));
        return Html(context, End(html));
    }

    /// <summary>City Market's opaque link: only the answer's <c>Content-Disposition</c> names the file (with <c>.xml.gz</c>).</summary>
    private async Task CityMarketDownloadAsync(HttpContext context)
    {
        var id = context.Request.RouteValues["id"]?.ToString() ?? "";
        var file = _world.PublishedFiles(ChainId, includeHistory: true).FirstOrDefault(f => DownloadId(f.Name) == id);
        if (file.Name is null || !_world.IsServed(ChainId, file.Name))
        {
            SimulatorLog.UnknownFile(_logger, id);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{WithoutExtension(file.Name)}.xml.gz\"";
        await _world.WriteFileAsync(ChainId, file.Name, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private List<PublishedName> Files(DateOnly day, Func<PublishedName, bool> inCategory) => [.. PortalFiles.OnDay(_world, ChainId, day).Where(inCategory)];

    private (int Page, int Pages, IEnumerable<PublishedName> Rows) Page(List<PublishedName> files, string pageText)
    {
        var pageSize = _world.Options.ListingPageSize;
        var pages = Math.Max(1, (files.Count + pageSize - 1) / pageSize);
        var page = int.TryParse(pageText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        return (page, pages, files.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize));
    }

    private StringBuilder Start(string table, IEnumerable<string> headers)
    {
        var html = new StringBuilder(8 * 1024).Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(_chain.Chain.Name)).Append(" - מחירים</title></head><body><div class=\"container\">")
            .Append('<').Append(table).Append("><thead><tr>");
        foreach (var header in headers)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        }

        return html.Append("</tr></thead><tbody>");
    }

    private static void EndTable(StringBuilder html) => html.Append("</tbody></table>");

    private static string End(StringBuilder html) => html.Append("</div></body></html>").ToString();

    /// <summary>A row of cells; a cell starting with <c>&lt;a </c> is markup, the rest text.</summary>
    private static void Row(StringBuilder html, params string[] cells)
    {
        html.Append("<tr>");
        foreach (var cell in cells)
        {
            html.Append("<td>").Append(cell.StartsWith("<a ", StringComparison.Ordinal) ? cell : WebUtility.HtmlEncode(cell)).Append("</td>");
        }

        html.Append("</tr>");
    }

    private static string LinkCell(string href) => $"<a href=\"{WebUtility.HtmlEncode(href)}\">הורדה</a>";

    /// <summary>The <c>li.pagination-item</c> pager of Hazi Hinam and City Market: every page, the current one <c>is-active</c>.</summary>
    private static void PaginationItems(StringBuilder html, int page, int pages, Func<int, string> href)
    {
        html.Append("<nav><ul class=\"pagination\">");
        for (var target = 1; target <= pages; target++)
        {
            html.Append("<li class=\"pagination-item").Append(target == page ? " is-active" : "").Append("\"><a href=\"")
                .Append(WebUtility.HtmlEncode(href(target))).Append("\">").Append(target).Append("</a></li>");
        }

        html.Append("</ul></nav>");
    }

    private string Branch(PublishedName file) => file.StoreId == 0 ? "" : _world.StoreName(ChainId, file.StoreId);

    private string Kilobytes(PublishedName file) => PortalFiles.SizeKilobytes(_world, file.Kind).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A real absolute link as the simulator serves it: its host becomes a path prefix on loopback.</summary>
    private static string Loopback(HttpContext context, string link) =>
        PortalSimulator.MapPortal(new Uri($"{context.Request.Scheme}://{context.Request.Host}/"), new Uri(link)).AbsoluteUri;

    private static string WithoutExtension(string name) =>
        name.EndsWith(".xml.gz", StringComparison.OrdinalIgnoreCase) ? name[..^7] : Path.GetFileNameWithoutExtension(name);

    /// <summary>A stable uuid per file name.</summary>
    private static string DownloadId(string name) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)).ToString();

    private static bool TryDay(HttpContext context, string parameter, string format, out DateOnly day) =>
        DateOnly.TryParseExact(context.Request.Query[parameter].ToString(), format, CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static Task BadDayAsync(HttpContext context, string parameter, string format)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsync($"{parameter} must be a date as {format}", context.RequestAborted);
    }

    /// <summary>Hazi Hinam and City Market: 1 prices, 2 promotions, 3 stores.</summary>
    private static bool Numbered(string category, FileKind kind) => category switch
    {
        "1" => kind is FileKind.Price or FileKind.PriceFull,
        "2" => kind is FileKind.Promo or FileKind.PromoFull,
        "3" => kind == FileKind.Stores,
        _ => false,
    };

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
