using System.Runtime.CompilerServices;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Families;

namespace Gogobe.IntegrationTests;

/// <summary>A chain whose listing never answers (but honours its token, as a hung HTTP call does): for the task timeout.</summary>
public sealed class HangingTestChain() : SupermarketScraper(new Chain("Test Hanging Market", "7290000000992"))
{
    public override PortalInfo Portal { get; } = new("test-only", new Uri("https://hanging.invalid/"));

    public override async IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        yield break;
    }

    public override Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The hanging chain never lists a file.");
}

/// <summary>A chain whose portal always fails: for retries up to the maximum attempts.</summary>
public sealed class ThrowingTestChain() : SupermarketScraper(new Chain("Test Throwing Market", "7290000000993"))
{
    public const string Message = "portal exploded (test)";

    public override PortalInfo Portal { get; } = new("test-only", new Uri("https://throwing.invalid/"));

    public override IAsyncEnumerable<PublishedFile> ListFilesAsync(ScrapeContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException(Message);

    public override Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The throwing chain never lists a file.");
}

/// <summary>A simulated Cerberus chain whose downloads trickle (1 KB per 100 ms), so a test can act while a file is being written.</summary>
public sealed class SlowTestChain() : CerberusScraper(new Chain("Test Slow Market", "7290000000994"), user: "gogobe_test_slow")
{
    public override async Task<Stream> OpenAsync(PublishedFile file, ScrapeContext context, CancellationToken cancellationToken) =>
        new TrickleStream(await base.OpenAsync(file, context, cancellationToken));

    private sealed class TrickleStream(Stream inner) : Stream
    {
        private const int Chunk = 1_024;
        private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(100);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Pause, cancellationToken);
            return await inner.ReadAsync(buffer[..Math.Min(buffer.Length, Chunk)], cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count)
        {
            Thread.Sleep(Pause);
            return inner.Read(buffer, offset, Math.Min(count, Chunk));
        }

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
            }

            base.Dispose(disposing);
        }
    }
}
