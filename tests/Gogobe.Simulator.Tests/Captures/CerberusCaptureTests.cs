using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Gogobe.Scrapers.Families;
using Gogobe.Scrapers.Ftp;

namespace Gogobe.Simulator.Tests.Captures;

/// <summary>The Cerberus family's own code over the real pages and replies the portal sent (Captures/SOURCES.md).</summary>
public sealed partial class CerberusCaptureTests
{
    [Fact]
    public async Task LoginPage_cerberus_login_page_r_file_html_GivesTheMetaTokenAndIsTheLoginForm()
    {
        using var page = await new HtmlParser().ParseDocumentAsync(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusLoginPage));

        Assert.Equal("F6wOYeoUIdnoZs11n-GPxWqaIARyofSsCODpAo2GEkU", CerberusWebPages.CsrfToken(page));
        Assert.Null(page.QuerySelector("input[name=csrftoken]")); // the token is only in the meta tag
        Assert.True(CerberusWebPages.IsLoginPage(page));
        Assert.False(CerberusWebPages.IsLoggedIn(page));
        Assert.Equal("/file", page.QuerySelector("form#login-form input[name=r]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task FailedLogin_cerberus_login_page_after_failed_login_RamiLevi_html_IsRecognisedAsARefusal()
    {
        using var page = await new HtmlParser().ParseDocumentAsync(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusFailedLoginPage));

        Assert.True(CerberusWebPages.IsLoginPage(page));
        Assert.False(CerberusWebPages.IsLoggedIn(page));
        Assert.Equal("LWE0mOS3jdtTVLrIE02VNYWYjLs1gPuDbL0UKtr-QbM", CerberusWebPages.CsrfToken(page));
    }

    [Fact]
    public async Task FileManager_cerberus_file_manager_page_after_login_RamiLevi_html_IsLoggedInWithARotatedToken()
    {
        using var login = await new HtmlParser().ParseDocumentAsync(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusLoginPage));
        using var page = await new HtmlParser().ParseDocumentAsync(Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusFileManagerPage));

        Assert.True(CerberusWebPages.IsLoggedIn(page));
        Assert.False(CerberusWebPages.IsLoginPage(page));
        Assert.Equal("whxnBqO1xXLC4vwea1FIFy9zshOkwwCH-kGmIQ_V-BM", CerberusWebPages.CsrfToken(page));
        Assert.NotEqual(CerberusWebPages.CsrfToken(login), CerberusWebPages.CsrfToken(page));
        Assert.Contains("\"dtDisplayLength\":" + CerberusScraper.DirectoryPageLength, WebUtilityDecode(page.QuerySelector("#cftptemplate")!.GetAttribute("data-cftp")!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FtpReplies_cerberus_ftp_server_replies_quoted_txt_AreReadByTheControlChannel()
    {
        var quoted = Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusFtpReplies);
        var replies = QuotedReply().Matches(quoted).Select(m => m.Value.Trim().TrimEnd('`', '"')).Distinct().ToList();

        Assert.Contains(replies, r => r.StartsWith("220 ", StringComparison.Ordinal));
        foreach (var reply in replies)
        {
            var channel = new FtpControlChannel(new MemoryStream(Encoding.ASCII.GetBytes(reply + "\r\n")));
            var read = await channel.ReadReplyAsync(CancellationToken.None);
            Assert.Equal(int.Parse(reply[..3], System.Globalization.CultureInfo.InvariantCulture), read.Code);
            Assert.Equal(reply[4..].Trim(), read.Text);
        }

        Assert.Equal(
            ["220", "230", "234", "500", "504", "530"],
            replies.Select(r => r[..3]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FtpReplies_cerberus_ftp_server_replies_quoted_txt_AuthTlsRefusedWith504_ClientStopsBeforeSendingTheUser()
    {
        // A loopback server scripted with the real replies: the banner, then the 504 a middlebox answered to AUTH TLS.
        var quoted = Gogobe.Simulator.Captures.Read(Gogobe.Simulator.Captures.CerberusFtpReplies);
        var banner = QuotedReply().Matches(quoted).Select(m => m.Value.Trim()).First(r => r.StartsWith("220 ", StringComparison.Ordinal));
        var refusal = QuotedReply().Matches(quoted).Select(m => m.Value.Trim().TrimEnd('`')).First(r => r.StartsWith("504 ", StringComparison.Ordinal));
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var commands = new List<string>();
        var server = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.ASCII);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(banner + "\r\n"));
            while (await reader.ReadLineAsync() is { } line)
            {
                commands.Add(line);
                await stream.WriteAsync(Encoding.ASCII.GetBytes((line.StartsWith("AUTH", StringComparison.Ordinal) ? refusal : "500 Unexpected") + "\r\n"));
            }
        });

        var error = await Assert.ThrowsAsync<FtpsException>(() => FtpsClient.ConnectAsync(
            new FtpsConnectionOptions("127.0.0.1", port, "RamiLevi", "") { Timeout = TimeSpan.FromSeconds(10) }, CancellationToken.None));
        await server.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("does not offer explicit TLS", error.Message, StringComparison.Ordinal);
        Assert.Equal("AUTH TLS", commands[0]);
        Assert.DoesNotContain(commands, c => c.StartsWith("USER", StringComparison.Ordinal) || c.StartsWith("PASS", StringComparison.Ordinal));
    }

    private static string WebUtilityDecode(string text) => System.Net.WebUtility.HtmlDecode(text);

    // A reply as quoted: three digits, a space, then text up to the end of the quote or line.
    [GeneratedRegex(@"(?<![\d.])[2-5]\d\d [A-Z][^`'""\r\n—]*", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedReply();
}
