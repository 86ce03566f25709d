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
/// Sites that publish a plain list of direct links: Netiv HaHesed (one HTML page, a table row per file), Wolt Market
/// (<c>v1/index.html</c> linking a page per day, <c>v1/YYYY-MM-DD.html</c>, a list item per file; a day with nothing yet
/// has no page: 404) and Meshnat Yosef 1 (a JSON array of <c>{"name", "url"}</c> with absolute urls). Files live
/// under <c>files/name</c>.
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
                routes.MapGet(_prefix + "/", LinkTableAsync);
                break;
            case PortalFamilies.DailyHtml:
                routes.MapGet(_prefix + "/index.html", DayIndexAsync);
                routes.MapGet(_prefix + "/{day}.html", DayPageAsync);
                break;
            case PortalFamilies.JsonList:
                routes.MapGet(_prefix + "/", JsonListAsync);
                break;
            default:
                throw new InvalidOperationException($"{chain.Portal.Family} is not a simple-page family.");
        }

        routes.MapGet(_prefix + "/files/{name}", context => PortalFiles.DownloadAsync(context, world, ChainId, logger));
    }

    private Task LinkTableAsync(HttpContext context)
    {
        var html = new StringBuilder(4096).Append("<!DOCTYPE html><html dir=\"rtl\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(chain.Chain.Name)).Append("</title></head><body><table><tr><th>קובץ</th><th>תאריך</th></tr>");
        foreach (var file in PortalFiles.OnDay(world, ChainId, world.Day))
        {
            html.Append("<tr><td><a href=\"files/").Append(Uri.EscapeDataString(file.Name)).Append("\">").Append(WebUtility.HtmlEncode(file.Name))
                .Append("</a></td><td>").Append(file.Time.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        return Html(context, html.Append("</table></body></html>").ToString());
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
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        var html = new StringBuilder(4096).Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Wolt Market prices ")
            .Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append("</title></head><body><ul>");
        foreach (var file in files)
        {
            html.Append("<li><a href=\"files/").Append(Uri.EscapeDataString(file.Name)).Append("\">").Append(WebUtility.HtmlEncode(file.Name)).Append("</a></li>");
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
