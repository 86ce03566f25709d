using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gogobe.Scrapers.Ftp;

namespace Gogobe.IntegrationTests;

/// <summary>A server that accepts the connection and then says nothing: the client gives up after its timeout, naming the exchange.</summary>
public sealed class FtpsClientTimeoutTests
{
    [Fact]
    public async Task Connect_ServerNeverGreets_TimesOutNamingTheServer()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = silent.AcceptTcpClientAsync();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<TimeoutException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", port, "RamiLevi", "") { Timeout = TimeSpan.FromMilliseconds(500) }, CancellationToken.None));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(10));
        Assert.Contains($"no answer from 127.0.0.1:{port} within 0.5 s", error.Message, StringComparison.Ordinal);
        using var connection = await accepted; // the connection was made; only the greeting never came
    }

    [Fact]
    public async Task Connect_Cancelled_ThrowsOperationCanceled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", port, "RamiLevi", ""), cancel.Token));
    }
}
