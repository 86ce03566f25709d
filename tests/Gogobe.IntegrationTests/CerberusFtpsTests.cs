using Gogobe.Core.Files;
using Gogobe.Core.Orchestration;
using Gogobe.Core.Scraping;
using Gogobe.Scrapers.Chains;
using Gogobe.Scrapers.Families;
using Gogobe.Scrapers.Ftp;
using Gogobe.Simulator;
using Gogobe.TestSupport;

namespace Gogobe.IntegrationTests;

/// <summary>
/// Cerberus over FTPS against a real vsftpd on loopback (explicit TLS required, self-signed certificate pinned),
/// serving files the simulator generated, scraped into real PostgreSQL.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class CerberusFtpsTests(PostgresFixture postgres)
{
    private const int Stores = 2;

    [Fact]
    public async Task FtpsClient_ListAndDownload_ReturnsEveryFileWithItsSizeAndBytes()
    {
        await using var setup = await FtpsSetup.StartAsync(postgres, [new RamiLevy()]);
        var user = setup.Users[0];
        var directory = setup.Server.FilesOf(user);
        var client = await FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", setup.Server.Port, user.Name, user.Password) { CertificatePin = setup.Server.CertificateSha256 },
            CancellationToken.None);
        await using (client)
        {
            Assert.Equal("/", await client.WorkingDirectoryAsync(CancellationToken.None)); // chrooted to the user's root, as Cerberus is

            var listing = await client.ListAsync(CancellationToken.None);

            var expected = setup.World.FileNames("7290058140886", includeHistory: true);
            Assert.Equal(expected.Order(StringComparer.Ordinal), listing.Select(i => i.Name).Order(StringComparer.Ordinal));
            Assert.All(listing, i => Assert.True(i.IsFile));
            Assert.All(listing, i => Assert.Equal(new FileInfo(Path.Combine(directory, i.Name)).Length, i.Size));

            // Two downloads on one connection: the first transfer's 226 is read, so the second can start.
            foreach (var name in expected.Where(n => n.StartsWith("PriceFull", StringComparison.Ordinal)).Take(2))
            {
                var stream = await client.OpenReadAsync(name, ownsClient: false, CancellationToken.None);
                using var copy = new MemoryStream();
                await using (stream)
                {
                    await stream.CopyToAsync(copy);
                }

                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(directory, name)), copy.ToArray());
            }
        }
    }

    [Fact]
    public async Task Probe_CerberusOverFtps_ListsTheDaysFilesFromTheFolderWithTheirSizes()
    {
        await using var setup = await FtpsSetup.StartAsync(postgres, [new SuperYuda()]);
        var day = setup.World.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await GogobeProcess.RunAsync(new Dictionary<string, string>(), TimeSpan.FromMinutes(2),
            "probe", "--chain", "Super Yuda", "--portal", setup.Server.Address.AbsoluteUri, "--certificate-pin", setup.Server.CertificateSha256,
            "--day", day, "--json");

        Assert.True(result.ExitCode == 0, result.Output);
        using var json = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        var listed = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(
            setup.World.FileNamesOn("7290058198450", setup.World.Day).Order(StringComparer.Ordinal),
            listed.Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(listed, f => Assert.StartsWith(setup.Server.Address.AbsoluteUri + "Yuda/", f.GetProperty("url").GetString(), StringComparison.Ordinal));
        Assert.All(listed, f => Assert.True(f.GetProperty("size").GetInt64() > 0));
    }

    [Fact]
    public async Task SupervisedRun_PinnedFtpsPortal_TheWorkerReadsItWithThePin()
    {
        // The worker copies the run's options for each task (its own abort token): the pin must survive the copy, or a
        // pinned FTPS portal could never be read on the supervised path.
        await using var setup = await FtpsSetup.StartAsync(postgres, [new SuperYuda()]);
        var harness = setup.Harness;
        var store = new Gogobe.Storage.PgJobStore(harness.DataSource);
        var chain = harness.Scrapers[0].Chain;
        var run = await store.SubmitRunAsync(
            new Gogobe.Core.Supervision.RunSubmission(
                Guid.CreateVersion7(), new Gogobe.Core.Supervision.JobSettings(false, 5_000, 0.2, null, null, [chain.Id]),
                [new Gogobe.Core.Supervision.TaskSpec(chain.Id, chain.Name)], 1, TimeSpan.FromMinutes(2), "test"),
            CancellationToken.None);
        var orchestrator = new Orchestrator(new Gogobe.Storage.PgFileLog(harness.DataSource, harness.Time),
            new Gogobe.Storage.PgPriceSink(harness.DataSource, harness.Time), harness.Time, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var worker = new Gogobe.Core.Supervision.JobWorker("test:pins", store, orchestrator, harness.Scrapers, (_, _) => ValueTask.FromResult(new RunOptions
        {
            PortalAddress = _ => setup.Server.Address,
            CertificatePins = new Dictionary<string, string> { ["127.0.0.1"] = setup.Server.CertificateSha256 },
            HttpClientFactory = _ => new HttpClient(),
        }), new Gogobe.Core.Supervision.SupervisorOptions(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        await worker.RunAsync(new Gogobe.Core.Supervision.WorkerLimits(MaxTasks: 1), CancellationToken.None);

        var task = (await store.ListTasksAsync(run.Id, null, 10, CancellationToken.None)).Single();
        Assert.True(task.State == Gogobe.Core.Supervision.JobState.Succeeded, $"{task.State}: {task.Reason}");
        for (var s = 1; s <= Stores; s++)
        {
            Assert.Equal(
                setup.World.ExpectedPrices(chain.Id, s).OrderBy(p => p.Key, StringComparer.Ordinal),
                (await harness.PricesAsync(chain.Id, s)).OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task Run_CerberusChainsOverFtps_WritesExactPricesToPostgres()
    {
        await using var setup = await FtpsSetup.StartAsync(postgres, [new RamiLevy(), new SuperYuda()]);

        var report = await setup.RunAsync();

        Assert.Equal(2, report.Chains.Count);
        foreach (var chain in report.Chains)
        {
            Assert.True(chain.Succeeded, $"{chain.Chain}: {chain.Error} {string.Join("; ", chain.Files.Select(f => f.Reason))}");
            Assert.Equal(1 + (Stores * 4), chain.Completed); // Stores, then PriceFull, Price, PromoFull, Promo per store
            for (var store = 1; store <= Stores; store++)
            {
                var expected = setup.World.ExpectedPrices(chain.Chain.Id, store);
                var actual = await setup.Harness.PricesAsync(chain.Chain.Id, store);
                Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
            }
        }

        // Super Yuda's files were found in its folder, and every transfer was over TLS (vsftpd refuses anything else).
        var log = await File.ReadAllTextAsync(setup.Server.LogPath);
        Assert.Contains("\"CWD /Yuda\"", log, StringComparison.Ordinal);
        Assert.Contains("\"PROT P\"", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WrongFtpsPassword_FailsThatChainWithTheServerReplyAndTheOtherCompletes()
    {
        // The portal changed Yellow's password: the chain's "paz468" no longer logs in.
        await using var setup = await FtpsSetup.StartAsync(postgres, [new RamiLevy(), new Yellow()],
            users => [.. users.Select(u => u.Name == "Paz_bo" ? u with { Password = "changed-by-portal" } : u)]);

        var report = await setup.RunAsync();

        var yellow = report.Chains.Single(c => c.Chain.Name == "Yellow");
        Assert.False(yellow.Succeeded);
        Assert.Contains("FTPS login failed for user Paz_bo: 530", yellow.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("changed-by-portal", yellow.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("paz468", yellow.Error, StringComparison.Ordinal);
        var rami = report.Chains.Single(c => c.Chain.Name == "Rami Levy");
        Assert.True(rami.Succeeded, rami.Error);
        Assert.Equal(1 + (Stores * 4), rami.Completed);
        Assert.Contains(await setup.Harness.FileLogAsync(), f => f.FileName == "(listing)" && f.Status == "failed" && f.Error!.Contains("530", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_FileGoneAfterListing_FailsThatFileOnlyWith550()
    {
        await using var setup = await FtpsSetup.StartAsync(postgres, [new RamiLevy()]);
        const string chainId = "7290058140886";
        var gone = setup.World.FileNames(chainId)
            .Single(n => PriceFileName.TryParse(n, out var name) && name.Kind == FileKind.PriceFull && name.StoreId == 2);
        var path = Path.Combine(setup.Server.FilesOf(setup.Users[0]), gone);

        var report = await setup.RunAsync(new DeleteWhenPlanned(path));

        var chain = Assert.Single(report.Chains);
        Assert.Null(chain.Error);
        var failed = Assert.Single(chain.Files, f => f.Status == FileStatus.Failed);
        Assert.Equal(gone, failed.FileName);
        Assert.Contains("550", failed.Reason, StringComparison.Ordinal);
        Assert.Contains(gone, failed.Reason, StringComparison.Ordinal);
        Assert.Equal(Stores * 4, chain.Completed); // every other file
        Assert.Equal(setup.World.ExpectedPrices(chainId, 1).Count, (await setup.Harness.PricesAsync(chainId, 1)).Count);
    }

    [Fact]
    public async Task Connect_ServerWithoutTls_RefusesBeforeSendingTheUserOrPassword()
    {
        await using var server = await VsftpdServer.StartAsync([new FtpUser("RamiLevi", "")], tls: false);

        var error = await Assert.ThrowsAsync<FtpsException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", server.Port, "RamiLevi", ""), CancellationToken.None));

        Assert.Contains("does not offer explicit TLS (AUTH TLS), so the password of user RamiLevi is not sent in clear", error.Message, StringComparison.Ordinal);
        var log = await File.ReadAllTextAsync(server.LogPath);
        Assert.Contains("\"AUTH TLS\"", log, StringComparison.Ordinal);
        Assert.DoesNotContain("\"USER ", log, StringComparison.Ordinal); // vsftpd logs each command as "FTP command: ..., \"USER name\""
        Assert.DoesNotContain("\"PASS ", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_SelfSignedCertificateWithoutPin_IsRefusedNamingItsThumbprint()
    {
        await using var server = await VsftpdServer.StartAsync([new FtpUser("RamiLevi", "")]);

        var unpinned = await Assert.ThrowsAsync<FtpsException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", server.Port, "RamiLevi", ""), CancellationToken.None));
        var wrongPin = await Assert.ThrowsAsync<FtpsException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", server.Port, "RamiLevi", "") { CertificatePin = new string('A', 64) }, CancellationToken.None));

        Assert.Contains("is not trusted", unpinned.Message, StringComparison.Ordinal);
        Assert.Contains(server.CertificateSha256, unpinned.Message, StringComparison.Ordinal);
        Assert.Contains("does not match the pinned thumbprint", wrongPin.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"USER ", await File.ReadAllTextAsync(server.LogPath), StringComparison.Ordinal);
    }

    /// <summary>Deletes a file from the FTP folder once the chain's listing is planned, before its download.</summary>
    private sealed class DeleteWhenPlanned(string path) : IRunObserver
    {
        public void ChainStarted(Chain chain)
        {
        }

        public void FilesPlanned(Chain chain, int files) => File.Delete(path);

        public void FileFinished(Chain chain, FileOutcome outcome)
        {
        }

        public void ChainFinished(ChainReport report)
        {
        }
    }

    /// <summary>The simulator's world and a fresh database (DemoHarness), and vsftpd serving each chain's files as its Cerberus user.</summary>
    private sealed class FtpsSetup : IAsyncDisposable
    {
        private FtpsSetup(DemoHarness harness, VsftpdServer server, IReadOnlyList<FtpUser> users)
        {
            Harness = harness;
            Server = server;
            Users = users;
        }

        public DemoHarness Harness { get; }

        public VsftpdServer Server { get; }

        public IReadOnlyList<FtpUser> Users { get; }

        public SimulatedWorld World => Harness.World;

        public static async Task<FtpsSetup> StartAsync(
            PostgresFixture postgres, IReadOnlyList<CerberusScraper> scrapers, Func<IReadOnlyList<FtpUser>, IReadOnlyList<FtpUser>>? serverUsers = null)
        {
            var harness = await DemoHarness.StartAsync(postgres, scrapers, stores: Stores, items: 120);
            try
            {
                IReadOnlyList<FtpUser> users = [.. scrapers.Select(s => new FtpUser(
                    s.Portal.Setting("user")!, s.Portal.Setting("password")!, s.Portal.Setting("folder") ?? "/"))];
                var server = await VsftpdServer.StartAsync(serverUsers?.Invoke(users) ?? users);
                var setup = new FtpsSetup(harness, server, users);
                foreach (var (scraper, user) in scrapers.Zip(users))
                {
                    await harness.World.WriteChainFilesAsync(scraper.Chain.Id, server.FilesOf(user), CancellationToken.None);
                }

                return setup;
            }
            catch
            {
                await harness.DisposeAsync();
                throw;
            }
        }

        public Task<RunReport> RunAsync(IRunObserver? observer = null) =>
            Harness.RunAsync(
                observer: observer,
                portalAddress: _ => Server.Address,
                certificatePins: new Dictionary<string, string> { ["127.0.0.1"] = Server.CertificateSha256 });

        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await Harness.DisposeAsync();
        }
    }
}
