using System.Globalization;
using System.Net;
using System.Text;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// Shufersal's price site: <c>FileObject/UpdateCategory?catID=&amp;storeId=&amp;page=</c> renders
/// <see cref="SimulatorOptions.ListingPageSize"/> (20) files a page in
/// <c>#gridContainer table.webgrid</c> with a pager in the footer; links are signed blob URLs.
/// </summary>
internal sealed class ShufersalPortal(SimulatedWorld world, string host, SimulatedChain chain, BlobLinks links)
{
    public void Map(IEndpointRouteBuilder routes) => routes.MapGet("/" + host + "/FileObject/UpdateCategory", PageAsync);

    private Task PageAsync(HttpContext context)
    {
        var category = Number(context.Request.Query["catID"].ToString(), 0);
        var storeId = Number(context.Request.Query["storeId"].ToString(), 0);
        var page = Math.Max(1, Number(context.Request.Query["page"].ToString(), 1));
        var files = world.PublishedFiles(chain.Chain.Id, includeHistory: false)
            .Where(f => category == 0 || Category(f.Kind) == category)
            .Where(f => storeId == 0 || f.StoreId == storeId)
            .ToList();
        var pageSize = world.Options.ListingPageSize;
        var pages = Math.Max(1, (files.Count + pageSize - 1) / pageSize);

        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>שופרסל - מחירים</title></head><body>")
            .Append("<div id=\"gridContainer\"><table class=\"webgrid\"><thead><tr>")
            .Append("<th></th><th>עדכון אחרון</th><th>גודל</th><th>סוג קובץ</th><th>קטגוריה</th><th>סניף</th><th>שם</th><th>מספר סניף</th>")
            .Append("</tr></thead><tbody>");
        foreach (var file in files.Skip((page - 1) * pageSize).Take(pageSize))
        {
            var storeName = file.StoreId == 0 ? "" : world.StoreName(chain.Chain.Id, file.StoreId);
            html.Append("<tr><td><a href=\"").Append(WebUtility.HtmlEncode(links.LinkFor(file.Name, file.Kind, file.Day).AbsoluteUri))
                .Append("\" target=\"_blank\">לחץ להורדה</a></td>")
                .Append("<td>").Append(file.Time.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture)).Append("</td>")
                .Append("<td></td><td>").Append(WebUtility.HtmlEncode(Path.GetExtension(file.Name).TrimStart('.'))).Append("</td>")
                .Append("<td>").Append(file.Kind.ToString().ToLowerInvariant()).Append("</td>")
                .Append("<td>").Append(WebUtility.HtmlEncode(storeName)).Append("</td>")
                .Append("<td>").Append(WebUtility.HtmlEncode(Path.GetFileNameWithoutExtension(file.Name))).Append("</td>")
                .Append("<td>").Append(file.StoreId.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        html.Append("</tbody><tfoot><tr class=\"webgrid-footer\"><td colspan=\"8\">");
        if (pages > 1)
        {
            AppendPager(html, category, storeId, page, pages);
        }

        html.Append("</td></tr></tfoot></table></div></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    /// <summary>The WebGrid pager: « ‹ around a window of page numbers › ». Links keep the host prefix so they stay valid on loopback.</summary>
    private void AppendPager(StringBuilder html, int category, int storeId, int page, int pages)
    {
        void Link(int target, string text) => html
            .Append("<a href=\"/").Append(host).Append("/FileObject/UpdateCategory?catID=").Append(category)
            .Append("&amp;storeId=").Append(storeId).Append("&amp;page=").Append(target).Append("\">")
            .Append(WebUtility.HtmlEncode(text)).Append("</a> ");

        if (page > 1)
        {
            Link(1, "<<");
            Link(page - 1, "<");
        }

        for (var p = Math.Max(1, page - 5); p <= Math.Min(pages, page + 5); p++)
        {
            if (p == page)
            {
                html.Append(p).Append(' ');
            }
            else
            {
                Link(p, p.ToString(CultureInfo.InvariantCulture));
            }
        }

        if (page < pages)
        {
            Link(page + 1, ">");
            Link(pages, ">>");
        }
    }

    /// <summary>Shufersal's catID of a kind: 1 Price, 2 PriceFull, 3 Promo, 4 PromoFull, 5 Stores.</summary>
    private static int Category(FileKind kind) => kind switch
    {
        FileKind.Price => 1,
        FileKind.PriceFull => 2,
        FileKind.Promo => 3,
        FileKind.PromoFull => 4,
        _ => 5,
    };

    private static int Number(string text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;
}
