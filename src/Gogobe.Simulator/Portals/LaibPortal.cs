using System.Globalization;
using System.Text.Json;
using Gogobe.Core.Files;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The Laib catalog JSON API (laibcatalog.co.il), one host for its chains, the <c>edi</c> (a chain id) tells the chain:
/// <c>webapi/api/getbranches?edi=</c> → <c>[{branchNumber, branchName, city}]</c> (the stores published under that
/// id); <c>webapi/api/getfiles?edi=&amp;branchNumber=</c> → <c>[{fileName, fileSize: "12.3 KB", fileType}]</c> for
/// today and yesterday, the Stores file repeated under every branch of the main id (the duplicates real listings
/// have); <c>webapi/&lt;chainId&gt;/&lt;fileName&gt;</c> serves the file.
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
            if (ChainOf(edi) is not { } chain || !IsListedUnder(chain, edi, name))
            {
                SimulatorLog.UnknownFile(logger, name);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return PortalFiles.ServeAsync(context, world, chain.Chain.Id, name, logger);
        });
    }

    private Task BranchesAsync(HttpContext context)
    {
        var edi = context.Request.Query["edi"].ToString();
        var chain = ChainOf(edi);
        return WriteArrayAsync(context, json =>
        {
            if (chain is null)
            {
                return;
            }

            var chainId = chain.Chain.Id;
            foreach (var store in world.StoreIds(chainId).Where(s => world.PublishingId(chainId, s) == edi))
            {
                json.WriteStartObject();
                json.WriteNumber("branchNumber", store);
                json.WriteString("branchName", world.StoreName(chainId, store));
                json.WriteEndObject();
            }
        });
    }

    private Task FilesAsync(HttpContext context)
    {
        var edi = context.Request.Query["edi"].ToString();
        var branch = int.TryParse(context.Request.Query["branchNumber"].ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var b) ? b : -1;
        var chain = ChainOf(edi);
        return WriteArrayAsync(context, json =>
        {
            if (chain is null)
            {
                return;
            }

            foreach (var file in Listed(chain, edi).Where(f => f.StoreId == branch || (f.StoreId == 0 && branch > 0)))
            {
                json.WriteStartObject();
                json.WriteString("fileName", file.Name);
                json.WriteString("fileSize", SizeText(file.Kind));
                json.WriteString("fileType", file.Kind.ToString());
                json.WriteEndObject();
            }
        });
    }

    /// <summary>Today's and yesterday's files named with <paramref name="edi"/>; the chain-wide files (store 0) go with the main id.</summary>
    private IEnumerable<PublishedName> Listed(SimulatedChain chain, string edi)
    {
        var chainId = chain.Chain.Id;
        return world.PublishedOn(chainId, world.Day).Concat(world.PublishedOn(chainId, world.Day.AddDays(-1)))
            .Where(f => world.PublisherOf(chainId, f) == edi);
    }

    private bool IsListedUnder(SimulatedChain chain, string edi, string name) => Listed(chain, edi).Any(f => f.Name == name);

    private SimulatedChain? ChainOf(string edi) => chains.FirstOrDefault(c => c.Chain.Owns(edi));

    /// <summary>The API's rounded size text. Files are generated on download, so this is the usual size of the kind, as a label.</summary>
    private string SizeText(FileKind kind)
    {
        var kilobytes = kind switch
        {
            FileKind.PriceFull => world.Options.ItemsPerStore * 0.12,
            FileKind.Price => world.Options.ItemsPerStore * 0.02,
            FileKind.Stores => world.Options.StoresPerChain * 0.1,
            _ => world.Options.ItemsPerStore * 0.01,
        };
        return string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0.1, kilobytes):0.0} KB");
    }

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
