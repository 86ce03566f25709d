using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gogobe.Simulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The Cerberus "published prices" web client as the real portal behaves (SHAPES.md §1), its pages rendered from the real
/// captures: one host for many chains, the user name tells the chain. <c>GET login</c> (or any page while logged out)
/// answers the login page, its CSRF token only in a meta tag; <c>POST login/user</c> answers a refusal with the login
/// page again (200, the user name filled in), a success with a 302 to <c>/file</c> and a rotated <c>cftpSID</c>
/// (the old session is dead); the file manager page carries a new token, the only one <c>POST file/json/dir</c>
/// accepts (DataTables 1.9; rows keyed <c>fname</c> or <c>name</c>, per chain, as sources disagree; history included);
/// <c>GET file/d/[folder/]name</c> serves a file.
/// </summary>
internal sealed partial class CerberusPortal(SimulatedWorld world, string host, IReadOnlyList<SimulatedChain> chains, ILogger logger)
{
    public const string SessionCookie = "cftpSID";
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly string _prefix = "/" + host;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/login", context => LoginPageAsync(context, context.Request.Query["r"].ToString()));
        routes.MapPost(_prefix + "/login/user", LoginAsync);
        routes.MapGet(_prefix + "/file", FilePageAsync);
        routes.MapPost(_prefix + "/file/json/dir", DirectoryAsync);
        routes.MapGet(_prefix + "/file/d/{**path}", DownloadAsync);
    }

    /// <summary>The login page with a fresh session; <paramref name="returnTo"/> is the page asked for ("" on a plain /login).</summary>
    private Task LoginPageAsync(HttpContext context, string returnTo)
    {
        var session = NewSession(context, chainId: null);
        var page = SetValue(Captures.Read(Captures.CerberusLoginPage), ReturnInput(), returnTo);
        return Html(context, SetValue(page, TokenMeta(), session.Csrf));
    }

    private async Task LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var user = form["username"].ToString();
        var token = form["csrftoken"].ToString() is { Length: > 0 } field ? field : context.Request.Headers["X-CSRFToken"].ToString();
        var chain = chains.FirstOrDefault(c => string.Equals(c.Portal.Setting("user"), user, StringComparison.OrdinalIgnoreCase));
        string? reason = null;
        if (Current(context) is not { } session || !string.Equals(session.Csrf, token, StringComparison.Ordinal))
        {
            reason = "missing session or bad CSRF token";
        }
        else if (chain is not null && world.Options.RejectedUsers.Contains(user))
        {
            reason = "user is in RejectedUsers";
        }
        else if (chain is null || !string.Equals(chain.Portal.Setting("password") ?? "", form["password"].ToString(), StringComparison.Ordinal))
        {
            reason = "unknown user or wrong password";
        }

        if (reason is not null || chain is null)
        {
            // The real portal says nothing more: the login page again, 200, the user name kept, a new session.
            SimulatorLog.LoginRefused(logger, user, reason ?? "unknown user");
            var refused = NewSession(context, chainId: null);
            var page = SetValue(SetValue(Captures.Read(Captures.CerberusFailedLoginPage), UserInput(), WebUtility.HtmlEncode(user)), ReturnInput(), "");
            await Html(context, SetValue(page, TokenMeta(), refused.Csrf)).ConfigureAwait(false);
            return;
        }

        // Success rotates the session: the cookie sent with the login is dead from now on.
        _sessions.TryRemove(context.Request.Cookies[SessionCookie]!, out _);
        NewSession(context, chain.Chain.Id);
        context.Response.Redirect(_prefix + "/file");
    }

    private Task FilePageAsync(HttpContext context)
    {
        if (LoggedIn(context) is not { } session)
        {
            return LoginPageAsync(context, "/file");
        }

        // Each file manager page hands out a token of its own; the listing takes only the latest.
        var id = context.Request.Cookies[SessionCookie]!;
        var fresh = session with { Csrf = NewToken() };
        _sessions[id] = fresh;
        var user = chains.First(c => c.Chain.Id == session.ChainId).Portal.Setting("user") ?? "";
        var page = Captures.Read(Captures.CerberusFileManagerPage).Replace("'RamiLevi'", "'" + WebUtility.HtmlEncode(user) + "'", StringComparison.Ordinal);
        return Html(context, SetValue(page, TokenMeta(), fresh.Csrf));
    }

    private async Task DirectoryAsync(HttpContext context)
    {
        if (LoggedIn(context) is not { } session)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var token = form["csrftoken"].ToString() is { Length: > 0 } field ? field : context.Request.Headers["X-CSRFToken"].ToString();
        if (!string.Equals(session.Csrf, token, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var search = form["sSearch"].ToString();
        var start = Number(form["iDisplayStart"].ToString(), 0);
        var length = Number(form["iDisplayLength"].ToString(), 10); // DataTables' default page length
        var all = world.PublishedFiles(session.ChainId!, includeHistory: true).ToList();
        var matching = all.Where(f => search.Length == 0 || f.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();
        var nameKey = Det.Below(Det.Of("cerberus-name-key:" + session.ChainId), 2) == 0 ? "fname" : "name";

        context.Response.ContentType = "application/json; charset=utf-8";
        var json = new Utf8JsonWriter(context.Response.Body);
        await using (json.ConfigureAwait(false))
        {
            json.WriteStartObject();
            json.WriteNumber("sEcho", Number(form["sEcho"].ToString(), 1));
            json.WriteNumber("iTotalRecords", all.Count);
            json.WriteNumber("iTotalDisplayRecords", matching.Count);
            json.WriteStartArray("aaData");
            foreach (var file in matching.Skip(start).Take(length))
            {
                json.WriteStartObject();
                json.WriteString(nameKey, file.Name);
                json.WriteString("type", "file");
                json.WriteNumber("size", 0); // generated on download: the size is not known when listed
                json.WriteString("ftime", file.Time.ToString("MM/dd/yyyy HH:mm", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task DownloadAsync(HttpContext context)
    {
        if (LoggedIn(context) is not { } session)
        {
            await LoginPageAsync(context, context.Request.Path.Value?[_prefix.Length..] ?? "").ConfigureAwait(false);
            return;
        }

        var path = context.Request.RouteValues["path"]?.ToString() ?? "";
        var slash = path.LastIndexOf('/');
        var folder = "/" + (slash < 0 ? "" : path[..slash]);
        var name = path[(slash + 1)..];
        var chain = chains.First(c => c.Chain.Id == session.ChainId);
        if (!string.Equals(folder.TrimEnd('/'), (chain.Portal.Setting("folder") ?? "/").TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
            || !world.IsServed(session.ChainId!, name))
        {
            SimulatorLog.UnknownFile(logger, path);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await world.WriteFileAsync(session.ChainId!, name, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private Session NewSession(HttpContext context, string? chainId)
    {
        var id = NewToken();
        var session = new Session(NewToken(), chainId);
        _sessions[id] = session;
        context.Response.Cookies.Append(SessionCookie, id, new CookieOptions { Path = "/", HttpOnly = true, Secure = false });
        return session;
    }

    private Session? Current(HttpContext context) =>
        context.Request.Cookies[SessionCookie] is { } id && _sessions.TryGetValue(id, out var session) ? session : null;

    private Session? LoggedIn(HttpContext context) => Current(context) is { ChainId: not null } session ? session : null;

    /// <summary>Puts <paramref name="value"/> (already HTML-safe) into the one attribute <paramref name="pattern"/> finds in the template.</summary>
    private static string SetValue(string template, Regex pattern, string value) =>
        pattern.IsMatch(template)
            ? pattern.Replace(template, m => m.Groups["before"].Value + value + m.Groups["after"].Value, 1)
            : throw new InvalidOperationException($"The capture has nothing matching {pattern}.");

    [GeneratedRegex("""(?<before><meta name="csrftoken" content=")[^"]*(?<after>")""", RegexOptions.CultureInvariant)]
    private static partial Regex TokenMeta();

    [GeneratedRegex("""(?<before><input type="hidden" name="r" id="r" value=")[^"]*(?<after>")""", RegexOptions.CultureInvariant)]
    private static partial Regex ReturnInput();

    [GeneratedRegex("""(?<before><input type="text" name="username" id="username"[^>]*value=")[^"]*(?<after>")""", RegexOptions.CultureInvariant)]
    private static partial Regex UserInput();

    private static int Number(string text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

    /// <summary>43 URL-safe base64 characters, as the real tokens are.</summary>
    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private sealed record Session(string Csrf, string? ChainId);
}
