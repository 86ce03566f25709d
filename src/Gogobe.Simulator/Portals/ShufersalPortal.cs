using System.Globalization;
using System.Net;
using System.Text;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// Shufersal's price site as it is (SHAPES.md §5), rendered from the real WebGrid capture:
/// <c>FileObject/UpdateCategory?catID=&amp;storeId=&amp;page=</c> answers the grid itself (<c>table.webgrid</c>, as the
/// capture starts), the root <c>?page=</c> a page wrapping it in <c>div#gridContainer</c>. Rows are the real eight cells
/// (signed blob link with <c>&amp;amp;</c>, <c>M/d/yyyy h:mm:ss tt</c>, size, <c>GZ</c>, lower-case category, branch or
/// <c>All</c>, the name without its extension, <c>1</c>), <see cref="SimulatorOptions.ListingPageSize"/> (20) a page;
/// the footer pager shows a window of numbers with <c>&lt;&lt; &lt;</c> before and <c>&gt; &gt;&gt;</c> after; a page past
/// the end answers the last page's rows again, as the real site does.
/// </summary>
internal sealed class ShufersalPortal(SimulatedWorld world, string host, SimulatedChain chain, BlobLinks links)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/" + host + "/FileObject/UpdateCategory", context => PageAsync(context, wrapped: false));
        routes.MapGet("/" + host + "/", context => PageAsync(context, wrapped: true));
    }

    private Task PageAsync(HttpContext context, bool wrapped)
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
        var shown = Math.Min(page, pages); // past the end: the last page's rows again

        var html = new StringBuilder(16 * 1024);
        if (wrapped)
        {
            html.Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>שופרסל - מחירים</title></head><body><div id=\"gridContainer\">");
        }

        html.Append(Header(category, storeId)).Append("<tbody>\n");
        var alternate = false;
        foreach (var file in files.Skip((shown - 1) * pageSize).Take(pageSize))
        {
            var branch = file.StoreId == 0 ? "All" : $"{file.StoreId} - {world.StoreName(chain.Chain.Id, file.StoreId)}";
            var extension = Path.GetExtension(file.Name).TrimStart('.');
            html.Append("    <tr class=\"").Append(alternate ? "webgrid-alternating-row" : "webgrid-row-style").Append("\">\n")
                .Append("        <td><a href=\"").Append(WebUtility.HtmlEncode(links.LinkFor(file.Name, file.Kind, file.Day).AbsoluteUri))
                .Append("\" target=\"_blank\">לחץ להורדה</a></td>\n")
                .Append("        <td>").Append(file.Time.ToString("M/d/yyyy h:mm:ss tt", CultureInfo.InvariantCulture)).Append("</td>\n")
                .Append("        <td>").Append(string.Create(CultureInfo.InvariantCulture, $"{PortalFiles.SizeKilobytes(world, file.Kind):0.00} KB")).Append("</td>\n")
                .Append("        <td>").Append(WebUtility.HtmlEncode(extension.Length == 0 ? "GZ" : extension.ToUpperInvariant())).Append("</td>\n")
                .Append("        <td>").Append(file.Kind.ToString().ToLowerInvariant()).Append("</td>\n")
                .Append("        <td>").Append(WebUtility.HtmlEncode(branch)).Append("</td>\n")
                .Append("        <td>").Append(WebUtility.HtmlEncode(Path.GetFileNameWithoutExtension(file.Name))).Append("</td>\n")
                .Append("        <td>1</td>\n    </tr>\n");
            alternate = !alternate;
        }

        html.Append("</tbody>\n");
        if (pages > 1)
        {
            html.Append("<tfoot>\n    <tr class=\"webgrid-footer\">\n        <td colspan=\"8\">");
            AppendPager(html, wrapped, category, storeId, shown, pages);
            html.Append("</td>\n    </tr>\n</tfoot>\n");
        }

        html.Append("</table>");
        if (wrapped)
        {
            html.Append("</div></body></html>");
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    /// <summary>The capture's table opening and header row, its sort links naming the category and store asked for.</summary>
    private static string Header(int category, int storeId)
    {
        var capture = Captures.Read(Captures.ShufersalGridFragment);
        var header = capture[..(capture.IndexOf("<tbody>", StringComparison.Ordinal))];
        return header.Replace("catID=5&amp;storeId=0", string.Create(CultureInfo.InvariantCulture, $"catID={category}&amp;storeId={storeId}"), StringComparison.Ordinal);
    }

    /// <summary>The WebGrid pager: « ‹ around a window of page numbers › ». Links keep the host prefix so they stay valid on loopback.</summary>
    private void AppendPager(StringBuilder html, bool wrapped, int category, int storeId, int page, int pages)
    {
        void Link(int target, string text)
        {
            html.Append("<a data-swhglnk=\"true\" href=\"/").Append(host);
            if (wrapped)
            {
                html.Append("/?page=").Append(target);
            }
            else
            {
                html.Append("/FileObject/UpdateCategory?catID=").Append(category).Append("&amp;storeId=").Append(storeId).Append("&amp;page=").Append(target);
            }

            html.Append("\">").Append(WebUtility.HtmlEncode(text)).Append("</a> ");
        }

        if (page > 1)
        {
            Link(1, "<<");
            Link(page - 1, "<");
        }

        for (var p = Math.Max(1, page - 2); p <= Math.Min(pages, page + 2); p++)
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
