using System.Globalization;
using System.Text.Json;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// A Bina Projects site (<c>&lt;prefix&gt;.binaprojects.com</c>, SHAPES.md §2), one chain per site. <c>Main.aspx</c> is the
/// real page (a capture of King Store's). <c>MainIO_Hok.aspx</c>, by GET with <c>?_=&amp;wReshet=&amp;WFileType=&amp;WDate=&amp;WStore=</c>
/// or by POST with the page's form <c>WStore, WDate, WFileType</c>, answers a day's files as a bare array of
/// <c>{FileNm, Company, Store, TypeFile, TypeExpFile, DateFile ("HH:mm dd/MM/yyyy", padded), PathLogo}</c>, whatever
/// id <c>_</c> names; an answer for every kind stops at exactly 1,000 rows, as the real one does.
/// <c>Download.aspx?FileNm=</c> (GET or POST) answers <c>[{"SPath": url}]</c>, <c>[]</c> for an unknown name; the file
/// lies at <c>Download/&lt;name&gt;</c>.
/// </summary>
internal sealed class BinaPortal(SimulatedWorld world, string host, SimulatedChain chain, ILogger logger)
{
    /// <summary>Where the real portal cuts off an answer for every kind.</summary>
    public const int ListingCap = 1000;

    private readonly string _prefix = "/" + host;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/Main.aspx", context =>
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.WriteAsync(Captures.Read(Captures.BinaMainPage), context.RequestAborted);
        });
        routes.MapMethods(_prefix + "/MainIO_Hok.aspx", ["GET", "POST"], ListAsync);
        routes.MapMethods(_prefix + "/Download.aspx", ["GET", "POST"], LocateAsync);
        routes.MapGet(_prefix + "/Download/{name}", context =>
            PortalFiles.ServeAsync(context, world, chain.Chain.Id, context.Request.RouteValues["name"]?.ToString() ?? "", logger));
    }

    private async Task ListAsync(HttpContext context)
    {
        var fields = context.Request.HasFormContentType
            ? (await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.OrdinalIgnoreCase)
            : context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        string Field(string name) => fields.TryGetValue(name, out var value) ? value : "";
        if (!DateOnly.TryParseExact(Field("WDate"), "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            day = world.Day; // the site shows today when no date is chosen
        }

        var fileType = int.TryParse(Field("WFileType"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 0;
        var store = int.TryParse(Field("WStore"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var chainId = chain.Chain.Id;
        var files = world.PublishedOn(chainId, day)
            .Where(f => fileType == 0 || TypeOf(f.Kind) == fileType)
            .Where(f => store == 0 || f.StoreId == store);
        if (fileType == 0)
        {
            files = files.Take(ListingCap);
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        var json = new Utf8JsonWriter(context.Response.Body);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartArray();
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("FileNm", file.Name);
                json.WriteString("Company", chain.Chain.Name);
                json.WriteString("Store", file.StoreId == 0 ? "" : world.StoreName(chainId, file.StoreId));
                json.WriteString("TypeFile", TypeName(file.Kind));
                json.WriteString("TypeExpFile", Path.GetExtension(file.Name).TrimStart('.'));
                json.WriteString("DateFile", file.Time.ToString(" HH:mm  dd/MM/yyyy ", CultureInfo.InvariantCulture));
                json.WriteString("PathLogo", "images/logo.png");
                json.WriteEndObject();
            }

            json.WriteEndArray();
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Step one of a download: where the file lies. An unknown name gets an empty array, as the real site answers.</summary>
    private async Task LocateAsync(HttpContext context)
    {
        var name = context.Request.Query["FileNm"].ToString();
        context.Response.ContentType = "application/json; charset=utf-8";
        if (!world.IsPublished(chain.Chain.Id, name))
        {
            SimulatorLog.UnknownFile(logger, name);
            await context.Response.WriteAsync("[]", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        var path = $"{request.Scheme}://{request.Host}{_prefix}/Download/{Uri.EscapeDataString(name)}";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new[] { new { SPath = path } }), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Bina's WFileType: 1 Stores, 2 Price, 3 Promo, 4 PriceFull, 5 PromoFull.</summary>
    private static int TypeOf(FileKind kind) => kind switch
    {
        FileKind.Stores => 1,
        FileKind.Price => 2,
        FileKind.Promo => 3,
        FileKind.PriceFull => 4,
        _ => 5,
    };

    /// <summary>The type's Hebrew name, as the page's select names it.</summary>
    private static string TypeName(FileKind kind) => kind switch
    {
        FileKind.Stores => "מחסנים",
        FileKind.Price => "מחירים",
        FileKind.Promo => "מבצעים",
        FileKind.PriceFull => "מחירים מלא",
        _ => "מבצעים מלא",
    };
}
