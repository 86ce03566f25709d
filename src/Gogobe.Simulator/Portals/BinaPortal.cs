using System.Globalization;
using System.Text.Json;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// A Bina Projects site (<c>&lt;prefix&gt;.binaprojects.com</c>), one chain per site:
/// <c>MainIO_Hok.aspx?_=&lt;chainId&gt;&amp;wReshet=הכל&amp;WFileType=&amp;WDate=dd/mm/yyyy&amp;WStore=</c> answers the day's
/// files as <c>[{FileNm, Company, LastUpdateDate, LastUpdateTime, Store, TypeFile}]</c> (only the store files named with
/// the id in <c>_</c> when it is one of the chain's ids; the chain-wide Stores file comes with every id, so a multi-id
/// chain sees it more than once); <c>Download.aspx?FileNm=</c> answers <c>[{"SPath": url}]</c>,
/// and the file lies at <c>Download/&lt;name&gt;</c>.
/// </summary>
internal sealed class BinaPortal(SimulatedWorld world, string host, SimulatedChain chain, ILogger logger)
{
    private readonly string _prefix = "/" + host;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/MainIO_Hok.aspx", ListAsync);
        routes.MapGet(_prefix + "/Download.aspx", LocateAsync);
        routes.MapGet(_prefix + "/Download/{name}", context =>
            PortalFiles.ServeAsync(context, world, chain.Chain.Id, context.Request.RouteValues["name"]?.ToString() ?? "", logger));
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!DateOnly.TryParseExact(query["WDate"].ToString(), "dd/MM/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            day = world.Day; // the site shows today when no date is chosen
        }

        var id = query["_"].ToString();
        var fileType = int.TryParse(query["WFileType"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var t) ? t : 0;
        var store = int.TryParse(query["WStore"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var chainId = chain.Chain.Id;
        var files = world.PublishedOn(chainId, day)
            .Where(f => !chain.Chain.Owns(id) || f.StoreId == 0 || world.PublisherOf(chainId, f) == id)
            .Where(f => fileType == 0 || TypeOf(f.Kind) == fileType)
            .Where(f => store == 0 || f.StoreId == store);

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
                json.WriteString("LastUpdateDate", file.Time.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
                json.WriteString("LastUpdateTime", file.Time.ToString("HH:mm", CultureInfo.InvariantCulture));
                json.WriteString("Store", file.StoreId == 0 ? "" : world.StoreName(chainId, file.StoreId));
                json.WriteString("TypeFile", file.Kind.ToString());
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
}
