using System.Net;
using System.Text.RegularExpressions;
using Gogobe.Simulator.Faults;

namespace Gogobe.Simulator.Tests;

/// <summary>The simulator's faults on demand, seen by a plain HttpClient: what each fault answers, and for how many requests.</summary>
public sealed class HttpFaultTests
{
    private const string Listing = "prices.shufersal.co.il/FileObject/UpdateCategory?catID=0&storeId=0&page=1";

    [Fact]
    public async Task Status_TimesTwoByPattern_AnswersTwiceThenServesTheRealPage()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        var fault = simulator.Faults.Add(new HttpFault { PathPattern = new Regex("UpdateCategory\\?catID=0"), Status = 500, Times = 2 });
        var unrelated = simulator.Faults.Add(new HttpFault { PathContains = "/no/such/path", Status = 503 });
        using var http = new HttpClient();
        var address = new Uri(simulator.BaseAddress, Listing);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await http.GetAsync(address);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError, HttpStatusCode.OK], statuses);
        Assert.Equal(3, fault.Matched);
        Assert.Equal(2, fault.Applied);
        Assert.Equal(0, unrelated.Matched);
    }

    [Fact]
    public async Task ServiceUnavailable_WithRetryAfter_SendsTheHeaderInSeconds()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        simulator.Faults.Add(new HttpFault { PathContains = "UpdateCategory", Method = "GET", Status = 503, RetryAfter = TimeSpan.FromSeconds(7) });
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(simulator.BaseAddress, Listing));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task DropConnection_ClientSeesTheConnectionEndWithoutAnswer()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        var fault = simulator.Faults.Add(new HttpFault { PathContains = "UpdateCategory", DropConnection = true, Times = 1 });
        using var http = new HttpClient();
        var address = new Uri(simulator.BaseAddress, Listing);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(address));
        using var second = await http.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, fault.Applied);
        Assert.Equal(2, fault.Matched);
    }

    [Fact]
    public async Task DelayBeforeHeaders_AnswersLateWithTheRealPage()
    {
        await using var simulator = await PortalSimulator.StartAsync(TestFiles.Options(items: 10, stores: 1), null, CancellationToken.None);
        simulator.Faults.Add(new HttpFault { PathContains = "UpdateCategory", DelayBeforeHeaders = TimeSpan.FromMilliseconds(400) });
        using var http = new HttpClient();
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var html = await http.GetStringAsync(new Uri(simulator.BaseAddress, Listing));

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(380), $"answered after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Contains("webgrid", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData(503, true)]
    public void Add_AmbiguousOrEmptyFault_Refused(int? status, bool drop)
    {
        var faults = new HttpFaults();

        Assert.Throws<ArgumentException>(() => faults.Add(new HttpFault { PathContains = "x", Status = status, DropConnection = drop }));
    }
}
