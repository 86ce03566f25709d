using Gogobe.Core.Files;
using Gogobe.Core.Scraping;

namespace Gogobe.Scrapers.Families;

/// <summary>HTTP mechanics every family shares: a streamed download whose response lives as long as its stream.</summary>
internal static class PortalHttp
{
    public static async Task<Stream> OpenStreamAsync(HttpClient http, Chain chain, PublishedFile file, CancellationToken cancellationToken)
    {
        var response = await http.GetAsync(file.Location, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException(
                    $"{chain}: download of {file.Name} from {file.Location} failed: {(int)response.StatusCode} {response.ReasonPhrase}.",
                    null, response.StatusCode);
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            return new ResponseStream(body, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public static async Task<string> GetTextAsync(HttpClient http, Uri address, Chain chain, string what, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(address, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(response, chain, what);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    public static void EnsureSuccess(HttpResponseMessage response, Chain chain, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"{chain}: {what} failed: {(int)response.StatusCode} {response.ReasonPhrase} from {response.RequestMessage?.RequestUri}.",
                null, response.StatusCode);
        }
    }

    /// <summary>The response body, disposing the response (and its connection lease) with it.</summary>
    private sealed class ResponseStream(Stream body, HttpResponseMessage response) : ReadOnlyStream(body)
    {
        // Passed through as before: a buffered body knows its length, a streamed one throws.
        public override long Length => Inner.Length;

        public override long Position
        {
            get => Inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer) => Inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Inner.ReadAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            // The body first (the base disposes it), then the response.
            base.Dispose(disposing);
            if (disposing)
            {
                response.Dispose();
            }
        }

        public override async ValueTask DisposeAsync()
        {
            await Inner.DisposeAsync().ConfigureAwait(false);
            response.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
