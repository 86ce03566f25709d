using System.Collections.Concurrent;
using System.Diagnostics;
using Gogobe.Core.Files;
using Gogobe.Core.Ingest;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Storage;
using Gogobe.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gogobe.IntegrationTests;

/// <summary>
/// Within a chain, a price file's completion overlaps the reading of the chain's next price file of another store, and
/// nothing else overlaps. The sink underneath is the real one (PostgreSQL); the test only holds the first price file's
/// completion until the next file has begun, which happens only if the orchestrator overlaps them.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class ChainFileOverlapTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Run_PriceFilesOfOtherStores_NextOneReadWhileThePreviousCompletes_OnlyThoseOverlap_ResultExact()
    {
        await using var demo = await DemoHarness.StartAsync(postgres, DemoHarness.Chains("RamiLevy"), stores: 4, items: 200);
        var sink = new RecordingSink(new PgPriceSink(demo.DataSource, demo.Time));
        var orchestrator = new Orchestrator(new PgFileLog(demo.DataSource, demo.Time), sink, demo.Time, NullLoggerFactory.Instance);

        var report = await orchestrator.RunAsync(
            demo.Scrapers,
            new RunOptions
            {
                MaxDegreeOfParallelism = 1,
                PortalAddress = demo.Simulator.MapPortal,
                HttpClientFactory = _ => new HttpClient(new SocketsHttpHandler { CookieContainer = new() }),
            },
            observer: null,
            CancellationToken.None);

        // The held completion was released by the next file's start, not by the timeout.
        Assert.True(sink.HeldFileReleasedByNext, "the first price file's completion was not overlapped by the next price file");

        var chain = Assert.Single(report.Chains);
        Assert.All(chain.Files, f => Assert.Equal(Gogobe.Core.Orchestration.FileStatus.Completed, f.Status));
        var files = sink.Files.OrderBy(f => f.Begun).ToList();
        Assert.True(files.Count(f => IsPrice(f.Target.Kind)) >= 4, $"{files.Count} files, too few price files");
        Assert.Contains(files, f => !IsPrice(f.Target.Kind));

        // Outcomes in the order the files began (the plan's), each file begun once.
        Assert.Equal(files.Select(f => f.Target.FileName), chain.Files.Select(f => f.FileName));

        // Only a price file followed by another store's price file may begin before the previous one completed.
        var overlapped = 0;
        for (var i = 1; i < files.Count; i++)
        {
            var (previous, next) = (files[i - 1], files[i]);
            var mayOverlap = IsPrice(previous.Target.Kind) && IsPrice(next.Target.Kind) && previous.Target.StoreId != next.Target.StoreId;
            if (next.Begun < previous.Completed)
            {
                Assert.True(mayOverlap, $"{next.Target.FileName} began before {previous.Target.FileName} completed");
                overlapped++;
            }
        }

        Assert.True(overlapped >= 1);

        // And the data is exactly what the portal published.
        foreach (var store in demo.World.StoreIds(chain.Chain.Id))
        {
            Assert.Equal(
                demo.World.ExpectedPrices(chain.Chain.Id, store).OrderBy(p => p.Key, StringComparer.Ordinal),
                (await demo.PricesAsync(chain.Chain.Id, store)).OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    private static bool IsPrice(FileKind kind) => kind is FileKind.PriceFull or FileKind.Price;

    private sealed record FileSpan(FileTarget Target, long Begun)
    {
        public long Completed { get; set; } = long.MaxValue;
    }

    /// <summary>
    /// The real sink, with each file's begin and completion recorded (in Stopwatch ticks). The first price file's
    /// completion waits until another file begins (at most 15 s), so an overlap that exists is seen whatever the timing.
    /// </summary>
    private sealed class RecordingSink(IPriceSink inner) : IPriceSink
    {
        private readonly TaskCompletionSource _nextBegun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _held;

        public ConcurrentBag<FileSpan> Files { get; } = [];

        public bool HeldFileReleasedByNext { get; private set; }

        public Task EnsureChainsAsync(IReadOnlyCollection<Chain> chains, CancellationToken cancellationToken) =>
            inner.EnsureChainsAsync(chains, cancellationToken);

        public async Task<IFileWriter> BeginFileAsync(long logId, FileTarget target, CancellationToken cancellationToken)
        {
            var span = new FileSpan(target, Stopwatch.GetTimestamp());
            Files.Add(span);
            if (Volatile.Read(ref _held) == 1)
            {
                _nextBegun.TrySetResult();
            }

            var hold = IsPrice(target.Kind) && Interlocked.CompareExchange(ref _held, 1, 0) == 0;
            return new Writer(this, await inner.BeginFileAsync(logId, target, cancellationToken), span, hold);
        }

        private sealed class Writer(RecordingSink sink, IFileWriter inner, FileSpan span, bool hold) : IFileWriter
        {
            public Task WritePricesAsync(IReadOnlyCollection<PriceRow> rows, CancellationToken cancellationToken) =>
                inner.WritePricesAsync(rows, cancellationToken);

            public Task WriteStoresAsync(IReadOnlyCollection<StoreRow> rows, CancellationToken cancellationToken) =>
                inner.WriteStoresAsync(rows, cancellationToken);

            public Task WritePromotionsAsync(IReadOnlyCollection<PromotionRow> rows, CancellationToken cancellationToken) =>
                inner.WritePromotionsAsync(rows, cancellationToken);

            public async Task<FileResult> CompleteAsync(FileCounts counts, CancellationToken cancellationToken)
            {
                if (hold)
                {
                    var released = await Task.WhenAny(sink._nextBegun.Task, Task.Delay(TimeSpan.FromSeconds(15), cancellationToken));
                    sink.HeldFileReleasedByNext = released == sink._nextBegun.Task;
                }

                var result = await inner.CompleteAsync(counts, cancellationToken);
                span.Completed = Stopwatch.GetTimestamp();
                return result;
            }

            public ValueTask DisposeAsync() => inner.DisposeAsync();
        }
    }
}
