using System.Runtime.CompilerServices;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Ftp;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// The FTPS flavour (url.retail.publishedprices.co.il): log in with the chain's user, enter its folder, list, and
/// download each file on a connection of its own. One connection per file keeps the scraper stateless between the
/// orchestrator's calls and lets a broken transfer fail only its file; the cost is one TLS login per file.
/// </summary>
public abstract partial class CerberusScraper
{
    private async IAsyncEnumerable<PublishedFile> ListFtpsAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<PublishedFile> files;
        var client = await ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            var listing = await client.ListAsync(cancellationToken).ConfigureAwait(false);
            var folder = Folder.EndsWith('/') ? Folder : Folder + "/";
            files = [.. listing.Where(i => i.IsFile)
                .Select(i => new PublishedFile(i.Name, new Uri(context.PortalAddress, folder + Uri.EscapeDataString(i.Name)), i.Size is > 0 ? i.Size : null))];
        }

        if (files.Count == 0)
        {
            throw new InvalidOperationException($"{Chain}: the Cerberus FTPS listing of {Folder} returned no files for user {User}.");
        }

        ScraperLog.CerberusFtpsListed(context.Logger, Chain, User, Folder, files.Count);
        foreach (var file in files)
        {
            yield return file;
        }
    }

    private async Task<Stream> OpenFtpsAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken)
    {
        var client = await ConnectAsync(context, cancellationToken).ConfigureAwait(false);
        try
        {
            // The stream owns the connection: disposing it ends the session.
            return await client.OpenReadAsync(file.Name, ownsClient: true, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<FtpsClient> ConnectAsync(ScrapeContext context, CancellationToken cancellationToken)
    {
        var options = FtpsConnectionOptions.FromAddress(context.PortalAddress, User, Password, context.CertificatePin);
        var client = await FtpsClient.ConnectAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            if (Folder != "/")
            {
                await client.ChangeDirectoryAsync(Folder, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
