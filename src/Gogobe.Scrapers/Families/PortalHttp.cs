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
    private sealed class ResponseStream(Stream inner, HttpResponseMessage response) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }

            base.Dispose(disposing);
        }

        public override async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            response.Dispose();
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }
}
