using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Gogobe.Core.Scraping;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// Sites that publish a plain list of direct links (SHAPES.md §7): Netiv HaHesed (<c>?Date=YYYY-MM-DD[&amp;FileType=]</c>,
/// today when no date is given, a table row per file linking <c>Prices/Download?fileName=…</c>), Wolt Market
/// (<c>v1/YYYY-MM-DD.html</c>, a list item per file linking <c>download/YYYY-MM-DD/&lt;file&gt;</c>; a day without a page
/// answers 400; <c>v1/index.html</c> links the days) and Meshnat Yosef 1 (a JSON array of <c>{"name", "url", "date"}</c>
/// with absolute urls, under <c>files/name</c>).
/// </summary>
internal sealed class SimplePagePortal(SimulatedWorld world, SimulatedChain chain, ILogger logger)
{
    private readonly string _prefix = PortalFiles.Prefix(chain.Portal.Address);

    private string ChainId => chain.Chain.Id;

    public void Map(IEndpointRouteBuilder routes)
    {
        switch (chain.Portal.Family)
        {
            case PortalFamilies.SimpleHtml:
                routes.MapGet(_prefix + "/", NetivAsync);
                routes.MapGet(_prefix + "/Prices/Download", context =>
                    PortalFiles.ServeAsync(context, world, ChainId, context.Request.Query["fileName"].ToString(), logger));
                break;
            case PortalFamilies.DailyHtml:
                routes.MapGet(_prefix + "/index.html", DayIndexAsync);
                routes.MapGet(_prefix + "/{day}.html", DayPageAsync);
                routes.MapGet(_prefix + "/download/{day}/{name}", context => PortalFiles.DownloadAsync(context, world, ChainId, logger));
                break;
            case PortalFamilies.JsonList:
                routes.MapGet(_prefix + "/", JsonListAsync);
                routes.MapGet(_prefix + "/files/{name}", context => PortalFiles.DownloadAsync(context, world, ChainId, logger));
                break;
            default:
                throw new InvalidOperationException($"{chain.Portal.Family} is not a simple-page family.");
        }
    }

    private Task NetivAsync(HttpContext context)
    {
        var date = context.Request.Query["Date"].ToString();
        var day = date.Length == 0 ? world.Day
            : DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var chosen) ? chosen : (DateOnly?)null;
        if (day is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return context.Response.WriteAsync("Date must be YYYY-MM-DD", context.RequestAborted);
        }

        var type = context.Request.Query["FileType"].ToString();
        var html = new StringBuilder(4096).Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(chain.Chain.Name)).Append("</title></head><body><form method=\"get\"><input type=\"date\" name=\"Date\" value=\"")
            .Append(day.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("\"></form><table><thead><tr><th>קובץ</th><th>סוג</th><th>תאריך</th><th>הורדה</th></tr></thead><tbody>");
        foreach (var file in PortalFiles.OnDay(world, ChainId, day.Value).Where(f => type.Length == 0 || string.Equals(type, f.Kind.ToString(), StringComparison.OrdinalIgnoreCase)))
        {
            // The real links are root-relative (/Prices/Download…); relative here so they stay under the simulated host.
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode(file.Name)).Append("</td><td>").Append(file.Kind).Append("</td><td>")
                .Append(file.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</td><td><a href=\"Prices/Download?fileName=")
                .Append(WebUtility.HtmlEncode(Uri.EscapeDataString(file.Name))).Append("\">הורדה</a></td></tr>");
        }

        return Html(context, html.Append("</tbody></table></body></html>").ToString());
    }

    private Task DayIndexAsync(HttpContext context)
    {
        var html = new StringBuilder(1024).Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Wolt Market prices</title></head><body><ul>");
        foreach (var day in new[] { world.Day, world.Day.AddDays(-1) }.Where(d => PortalFiles.OnDay(world, ChainId, d).Count > 0))
        {
            var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            html.Append("<li><a href=\"").Append(text).Append(".html\">").Append(text).Append("</a></li>");
        }

        return Html(context, html.Append("</ul></body></html>").ToString());
    }

    private Task DayPageAsync(HttpContext context)
    {
        var files = DateOnly.TryParseExact(context.Request.RouteValues["day"]?.ToString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? PortalFiles.OnDay(world, ChainId, day)
            : [];
        if (files.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest; // the real site's answer for a day it has no page for
            return Task.CompletedTask;
        }

        var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var html = new StringBuilder(4096).Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Wolt Market prices ")
            .Append(text).Append("</title></head><body><ul>");
        foreach (var file in files)
        {
            html.Append("<li><a href=\"download/").Append(text).Append('/').Append(Uri.EscapeDataString(file.Name)).Append("\">")
                .Append(WebUtility.HtmlEncode(file.Name)).Append("</a></li>");
        }

        return Html(context, html.Append("</ul></body></html>").ToString());
    }

    private async Task JsonListAsync(HttpContext context)
    {
        var origin = $"{context.Request.Scheme}://{context.Request.Host}{_prefix}/files/";
        context.Response.ContentType = "application/json; charset=utf-8";
        var json = new Utf8JsonWriter(context.Response.Body);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartArray();
            foreach (var file in PortalFiles.OnDay(world, ChainId, world.Day))
            {
                json.WriteStartObject();
                json.WriteString("name", file.Name);
                json.WriteString("url", origin + Uri.EscapeDataString(file.Name));
                json.WriteString("date", file.Time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }
}
