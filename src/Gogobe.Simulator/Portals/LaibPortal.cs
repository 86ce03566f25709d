using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The Laib catalog JSON API (laibcatalog.co.il, SHAPES.md §3), one host for its chains; <c>edi</c> (a chain id) tells the
/// chain. <c>webapi/api/getbranches?edi=</c> answers <c>[{number, name}]</c> for a chain's first id and <c>[]</c> for its
/// others; <c>webapi/api/getfiles?edi=&amp;branchNumber=</c> answers the whole chain's catalog whatever the branch
/// (today's and yesterday's files), <c>{fileName, fileType, fileSize: "562.84 KB", fileDate, branchNumber}</c>, the
/// type lower-case for one chain and capitalised for the others, as sources disagree;
/// <c>webapi/&lt;first chainId&gt;/&lt;fileName&gt;</c> serves a file.
/// </summary>
internal sealed class LaibPortal(SimulatedWorld world, string host, IReadOnlyList<SimulatedChain> chains, ILogger logger)
{
    private readonly string _prefix = "/" + host;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/webapi/api/getbranches", BranchesAsync);
        routes.MapGet(_prefix + "/webapi/api/getfiles", FilesAsync);
        routes.MapGet(_prefix + "/webapi/{chainId}/{name}", context =>
        {
            var edi = context.Request.RouteValues["chainId"]?.ToString() ?? "";
            var name = context.Request.RouteValues["name"]?.ToString() ?? "";
            if (MainChain(edi) is not { } chain || !Listed(chain).Any(f => f.Name == name))
            {
                SimulatorLog.UnknownFile(logger, name);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return PortalFiles.ServeAsync(context, world, chain.Chain.Id, name, logger);
        });
    }

    private Task BranchesAsync(HttpContext context) => WriteArrayAsync(context, json =>
    {
        if (MainChain(context.Request.Query["edi"].ToString()) is not { } chain)
        {
            return; // unknown ids and second ids: no branches
        }

        foreach (var store in world.StoreIds(chain.Chain.Id))
        {
            json.WriteStartObject();
            json.WriteNumber("number", store);
            json.WriteString("name", world.StoreName(chain.Chain.Id, store));
            json.WriteEndObject();
        }
    });

    private Task FilesAsync(HttpContext context) => WriteArrayAsync(context, json =>
    {
        if (MainChain(context.Request.Query["edi"].ToString()) is not { } chain)
        {
            return;
        }

        var lowerCase = chain == chains[0];
        foreach (var file in Listed(chain))
        {
            json.WriteStartObject();
            json.WriteString("fileName", file.Name);
            json.WriteString("fileType", lowerCase ? file.Kind.ToString().ToLowerInvariant() : file.Kind.ToString());
            json.WriteString("fileSize", string.Create(CultureInfo.InvariantCulture, $"{PortalFiles.SizeKilobytes(world, file.Kind):0.00} KB"));
            json.WriteString("fileDate", file.Time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
            json.WriteNumber("branchNumber", file.StoreId);
            json.WriteEndObject();
        }
    });

    /// <summary>Today's and yesterday's files of the chain, under whichever of its ids they are named.</summary>
    private IEnumerable<PublishedName> Listed(SimulatedChain chain) =>
        world.PublishedOn(chain.Chain.Id, world.Day).Concat(world.PublishedOn(chain.Chain.Id, world.Day.AddDays(-1)));

    /// <summary>The chain whose first id is <paramref name="edi"/>; its other ids name no chain here.</summary>
    private SimulatedChain? MainChain(string edi) => chains.FirstOrDefault(c => c.Chain.Id == edi);

    private static async Task WriteArrayAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var json = new Utf8JsonWriter(context.Response.Body);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartArray();
            write(json);
            json.WriteEndArray();
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }
}
