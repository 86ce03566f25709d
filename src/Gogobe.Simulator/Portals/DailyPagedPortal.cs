using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gogobe.Core.Files;
using Gogobe.Core.Scraping;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The chains' own date-selecting price sites with an HTML table and a pager, each in its own shape:
/// Hazi Hinam (<c>Prices?t=&amp;d=YYYY-MM-DD&amp;p=</c>, <c>table.prices-table</c>, <c>ul.pagination</c>),
/// Super-Pharm (<c>?Category-equals=&amp;Date-equals=dd/mm/yyyy&amp;page=</c>, <c>table.mytable</c>, <c>.page_link</c>;
/// each row links to <c>Download/name</c>, which answers JSON <c>{"href"}</c>) and City Market shops
/// (<c>?t=&amp;s=&amp;d=YYYY-MM-DD&amp;p=</c>, <c>#files-table</c>, <c>nav.pager</c>).
/// <see cref="SimulatorOptions.ListingPageSize"/> files a page; files live under <c>files/name</c>.
/// </summary>
internal sealed class DailyPagedPortal
{
    private readonly SimulatedWorld _world;
    private readonly SimulatedChain _chain;
    private readonly ILogger _logger;
    private readonly string _prefix;
    private readonly Shape _shape;

    public DailyPagedPortal(SimulatedWorld world, SimulatedChain chain, ILogger logger)
    {
        _world = world;
        _chain = chain;
        _logger = logger;
        _prefix = PortalFiles.Prefix(chain.Portal.Address);
        _shape = chain.Portal.Family switch
        {
            PortalFamilies.HaziHinamHtml => new Shape("Prices", "t", "d", "yyyy-MM-dd", "p", null, "table class=\"prices-table\"", "ul class=\"pagination\"", Json: false, Numbered),
            PortalFamilies.SuperPharmHtml => new Shape("", "Category-equals", "Date-equals", "dd/MM/yyyy", "page", null, "table class=\"mytable\"", "div class=\"page_link\"", Json: true, ByKindName),
            PortalFamilies.CityMarketHtml => new Shape("", "t", "d", "yyyy-MM-dd", "p", "s", "table id=\"files-table\"", "nav class=\"pager\"", Json: false, Numbered),
            _ => throw new ArgumentException($"{chain.Portal.Family} is not a date-selecting paged site.", nameof(chain)),
        };
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/" + _shape.ListingPath, ListingAsync);
        routes.MapGet(_prefix + "/files/{name}", context => PortalFiles.DownloadAsync(context, _world, _chain.Chain.Id, _logger));
        if (_shape.Json)
        {
            routes.MapGet(_prefix + "/Download/{name}", HrefAsync);
        }
    }

    private Task ListingAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var category = query[_shape.CategoryParameter].ToString();
        if (!DateOnly.TryParseExact(query[_shape.DayParameter].ToString(), _shape.DayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync($"{_shape.DayParameter} must be a date as {_shape.DayFormat}", context.RequestAborted);
        }

        var store = _shape.StoreParameter is { } s && int.TryParse(query[s].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        var page = int.TryParse(query[_shape.PageParameter].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var files = PortalFiles.OnDay(_world, _chain.Chain.Id, day)
            .Where(f => _shape.InCategory(category, f.Kind))
            .Where(f => store is null || f.Kind == FileKind.Stores || f.StoreId == store)
            .ToList();
        var pageSize = _world.Options.ListingPageSize;
        var pages = Math.Max(1, (files.Count + pageSize - 1) / pageSize);

        var html = new StringBuilder(8 * 1024);
        html.Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(_chain.Chain.Name)).Append(" - מחירים</title></head><body><div class=\"content\">")
            .Append('<').Append(_shape.Table).Append("><thead><tr><th>שם קובץ</th><th>סניף</th><th>תאריך</th><th>הורדה</th></tr></thead><tbody>");
        foreach (var file in files.Skip((int)Math.Min(int.MaxValue, (long)(page - 1) * pageSize)).Take(pageSize))
        {
            var link = _prefix + (_shape.Json ? "/Download/" : "/files/") + Uri.EscapeDataString(file.Name);
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(file.Name)).Append("</td><td>")
                .Append(file.StoreId == 0 ? "" : WebUtility.HtmlEncode(_world.StoreName(_chain.Chain.Id, file.StoreId))).Append("</td><td>")
                .Append(file.Time.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture)).Append("</td><td><a href=\"")
                .Append(WebUtility.HtmlEncode(link)).Append("\">הורדה</a></td></tr>");
        }

        html.Append("</tbody></table>");
        var pagerTag = _shape.Pager.Split(' ')[0];
        html.Append('<').Append(_shape.Pager).Append('>');
        for (var target = Math.Max(1, page - 5); target <= Math.Min(pages, page + 5); target++)
        {
            PagerLink(html, query, target, target.ToString(CultureInfo.InvariantCulture), target == page);
        }

        if (page < pages)
        {
            PagerLink(html, query, page + 1, "הבא", current: false);
        }

        html.Append("</").Append(pagerTag).Append("></div></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    /// <summary>A pager link: the same query with another page number (a query-only href, as these sites write them).</summary>
    private void PagerLink(StringBuilder html, IQueryCollection query, int target, string text, bool current)
    {
        var item = _shape.Pager.StartsWith("ul", StringComparison.Ordinal);
        html.Append(item ? "<li>" : "");
        if (current)
        {
            html.Append("<span class=\"current\">").Append(text).Append("</span>");
        }
        else
        {
            var parameters = query.Where(q => q.Key != _shape.PageParameter)
                .Select(q => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(q.Value.ToString()))
                .Append(_shape.PageParameter + "=" + target.ToString(CultureInfo.InvariantCulture));
            html.Append("<a href=\"").Append(WebUtility.HtmlEncode("?" + string.Join('&', parameters))).Append("\">")
                .Append(WebUtility.HtmlEncode(text)).Append("</a>");
        }

        html.Append(item ? "</li>" : " ");
    }

    /// <summary>Super-Pharm's first step: the row's link answers where the file is.</summary>
    private Task HrefAsync(HttpContext context)
    {
        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        if (!_world.IsPublished(_chain.Chain.Id, name))
        {
            SimulatorLog.UnknownFile(_logger, name);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(
            JsonSerializer.Serialize(new Dictionary<string, string> { ["href"] = _prefix + "/files/" + Uri.EscapeDataString(name) }), context.RequestAborted);
    }

    /// <summary>Hazi Hinam and City Market: 1 prices, 2 promotions, 3 stores.</summary>
    private static bool Numbered(string category, FileKind kind) => category switch
    {
        "1" => kind is FileKind.Price or FileKind.PriceFull,
        "2" => kind is FileKind.Promo or FileKind.PromoFull,
        "3" => kind == FileKind.Stores,
        _ => false,
    };

    /// <summary>Super-Pharm: the category is the kind's name.</summary>
    private static bool ByKindName(string category, FileKind kind) => string.Equals(category, kind.ToString(), StringComparison.OrdinalIgnoreCase);

    private sealed record Shape(
        string ListingPath, string CategoryParameter, string DayParameter, string DayFormat, string PageParameter, string? StoreParameter,
        string Table, string Pager, bool Json, Func<string, FileKind, bool> InCategory);
}
