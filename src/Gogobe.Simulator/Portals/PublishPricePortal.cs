using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// A PublishPrice site (<c>prices.&lt;name&gt;.co.il</c>, SHAPES.md §4), one chain per site, in the 2026 shape: the file
/// list is JavaScript in the second-to-last script, <c>const path = 'YYYYMMDD';</c> then <c>const files = [...]</c> as
/// one line of JSON objects <c>{"name", "size" (bytes), "modified": "HH:MM DD-MM-YYYY"}</c>, then other statements
/// (<c>let filesInfoCache</c>, <c>const branches</c>, <c>const chains</c>); branch names also appear as
/// <c>&lt;option&gt;</c>s. <c>?p=./YYYYMMDD</c> picks a day (today without it); the file lies at
/// <c>YYYYMMDD/&lt;name&gt;</c>.
/// </summary>
internal sealed class PublishPricePortal(SimulatedWorld world, string host, SimulatedChain chain, ILogger logger)
{
    private readonly string _prefix = "/" + host;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/", PageAsync);
        routes.MapGet(_prefix + "/{folder}/{name}", context =>
        {
            var folder = context.Request.RouteValues["folder"]?.ToString() ?? "";
            var name = context.Request.RouteValues["name"]?.ToString() ?? "";
            if (!DateOnly.TryParseExact(folder, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                || !world.PublishedOn(chain.Chain.Id, day).Any(f => f.Name == name))
            {
                SimulatorLog.UnknownFile(logger, name);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return PortalFiles.ServeAsync(context, world, chain.Chain.Id, name, logger);
        });
    }

    private Task PageAsync(HttpContext context)
    {
        var p = context.Request.Query["p"].ToString().TrimStart('.', '/');
        var day = DateOnly.TryParseExact(p, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen) ? chosen : world.Day;
        var chainId = chain.Chain.Id;
        var html = new StringBuilder(8 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"he\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(chain.Chain.Name)).Append(" - מחירים</title><script src=\"/js/jquery.min.js\"></script></head><body>")
            .Append("<select id=\"branch\"><option value=\"\">כל הסניפים</option>");
        foreach (var store in world.StoreIds(chainId))
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{store}\">").Append(WebUtility.HtmlEncode(world.StoreName(chainId, store))).Append("</option>");
        }

        html.Append("</select><div id=\"files\" class=\"fileList\"></div><div class=\"paginationDiv\"><div class=\"paginationPages\"></div></div>\n<script>\n")
            .Append(CultureInfo.InvariantCulture, $"    const path = '{day:yyyyMMdd}';\n    const files = [");
        var first = true;
        foreach (var file in world.PublishedOn(chainId, day))
        {
            html.Append(first ? "" : ",").Append("{\"name\":").Append(JsonSerializer.Serialize(file.Name))
                .Append(CultureInfo.InvariantCulture, $",\"size\":{(long)(PortalFiles.SizeKilobytes(world, file.Kind) * 1024)}")
                .Append(CultureInfo.InvariantCulture, $",\"modified\":\"{file.Time:HH:mm dd-MM-yyyy}\"}}");
            first = false;
        }

        html.Append("];\n    let filesInfoCache = [];\n    const branches = {};\n    const chains = [];\n</script>\n")
            .Append("<script>document.addEventListener('DOMContentLoaded', function () { renderFiles(path, files); });</script></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }
}
