using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// A PublishPrice site (<c>prices.&lt;name&gt;.co.il</c>), one chain per site: the page lists a day's files as a
/// JavaScript literal in a script, <c>const path = './YYYYMMDD'; const files = [{name: '...', size: 0, ...}];</c>
/// (single quotes, bare keys, a trailing comma, as hand-written pages have); <c>?p=./YYYYMMDD</c> picks a day (today
/// without it); the file lies at <c>YYYYMMDD/&lt;name&gt;</c>.
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
        var html = new StringBuilder(8 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"he\" dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(chain.Chain.Name)).Append(" - מחירים</title></head><body>")
            .Append("<div id=\"app\"><table id=\"files\"></table></div>\n<script>\n")
            .Append(CultureInfo.InvariantCulture, $"    const path = './{day:yyyyMMdd}';\n")
            .Append("    // the table is rendered from this list\n    const files = [\n");
        foreach (var file in world.PublishedOn(chain.Chain.Id, day))
        {
            // Single quotes and bare keys, as the real page writes them.
            html.Append("        {name: '").Append(JsString(file.Name))
                .Append("', size: 0, type: '").Append(file.Kind)
                .Append(CultureInfo.InvariantCulture, $"', date: '{file.Time:yyyy-MM-dd HH:mm:ss}'}},\n");
        }

        html.Append("    ];\n    render(path, files);\n</script></body></html>");
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html.ToString(), context.RequestAborted);
    }

    /// <summary>Escapes a value for a single-quoted JavaScript string inside a script element.</summary>
    private static string JsString(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("<", "\\u003c", StringComparison.Ordinal);
}
