using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Gogobe.Simulator.Portals;

/// <summary>
/// The Cerberus "published prices" web client: one host for many chains, the user name tells the chain.
/// Login page with a CSRF token → POST login/user → session cookie → POST file/json/dir (DataTables JSON, history
/// included) → GET file/d/name.
/// </summary>
internal sealed class CerberusPortal(SimulatedWorld world, string host, IReadOnlyList<SimulatedChain> chains, ILogger logger)
{
    public const string SessionCookie = "cftpSID";
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly string _prefix = "/" + host;

    private static readonly Dictionary<string, string> Errors = new(StringComparer.Ordinal)
    {
        ["1"] = "Invalid username or password",
        ["2"] = "Your session has expired, please log in again",
        ["3"] = "This account has been disabled",
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(_prefix + "/login", LoginPageAsync);
        routes.MapPost(_prefix + "/login/user", LoginAsync);
        routes.MapGet(_prefix + "/file", FilePageAsync);
        routes.MapPost(_prefix + "/file/json/dir", DirectoryAsync);
        routes.MapGet(_prefix + "/file/d/{name}", DownloadAsync);
    }

    private Task LoginPageAsync(HttpContext context)
    {
        var id = NewToken();
        var session = new Session(NewToken(), ChainId: null);
        _sessions[id] = session;
        context.Response.Cookies.Append(SessionCookie, id, new CookieOptions { Path = "/", HttpOnly = true });
        var error = context.Request.Query["r"].ToString();
        var message = Errors.TryGetValue(error, out var text)
            ? $"<div class=\"alert alert-danger\" id=\"errmsg\">{WebUtility.HtmlEncode(text)}</div>"
            : "";
        return Html(context, $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="csrftoken" content="{session.Csrf}"><title>Cerberus Web Client</title></head>
            <body><div class="container">{message}
            <form method="post" action="login/user" id="login-form">
            <input type="hidden" name="csrftoken" value="{session.Csrf}">
            <input type="text" name="username" id="username"><input type="password" name="password" id="password">
            <button type="submit">Sign in</button></form></div></body></html>
            """);
    }

    private async Task LoginAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var user = form["username"].ToString();
        var id = context.Request.Cookies[SessionCookie];
        if (id is null || !_sessions.TryGetValue(id, out var session) || !string.Equals(session.Csrf, form["csrftoken"].ToString(), StringComparison.Ordinal))
        {
            SimulatorLog.LoginRefused(logger, user, "missing session or bad CSRF token");
            RedirectToLogin(context, "2");
            return;
        }

        var chain = chains.FirstOrDefault(c => string.Equals(c.Portal.Setting("user"), user, StringComparison.OrdinalIgnoreCase));
        if (chain is not null && world.Options.RejectedUsers.Contains(user))
        {
            SimulatorLog.LoginRefused(logger, user, "user is in RejectedUsers");
            RedirectToLogin(context, "3");
            return;
        }

        if (chain is null || !string.Equals(chain.Portal.Setting("password") ?? "", form["password"].ToString(), StringComparison.Ordinal))
        {
            SimulatorLog.LoginRefused(logger, user, "unknown user or wrong password");
            RedirectToLogin(context, "1");
            return;
        }

        _sessions[id] = session with { ChainId = chain.Chain.Id };
        context.Response.Redirect(_prefix + "/file");
    }

    private Task FilePageAsync(HttpContext context)
    {
        if (LoggedIn(context) is not { } session)
        {
            RedirectToLogin(context, null);
            return Task.CompletedTask;
        }

        return Html(context, $"""
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><meta name="csrftoken" content="{session.Csrf}"><title>Cerberus Web Client - Files</title></head>
            <body><table id="fileList" class="table"></table></body></html>
            """);
    }

    private async Task DirectoryAsync(HttpContext context)
    {
        if (LoggedIn(context) is not { } session)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (!string.Equals(session.Csrf, form["csrftoken"].ToString(), StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        var search = form["sSearch"].ToString();
        var start = Number(form["iDisplayStart"].ToString(), 0);
        var length = Number(form["iDisplayLength"].ToString(), 10); // DataTables' default page length
        var all = world.PublishedFiles(session.ChainId!, includeHistory: true).ToList();
        var matching = all.Where(f => search.Length == 0 || f.Name.Contains(search, StringComparison.OrdinalIgnoreCase)).ToList();

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
                json.WriteString("value", file.Name);
                json.WriteString("name", file.Name);
                json.WriteString("type", "file");
                json.WriteNumber("size", 0); // the size is only known once generated; the portal reports 0 for such entries
                json.WriteString("ftime", file.Time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
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
            RedirectToLogin(context, null);
            return;
        }

        var name = context.Request.RouteValues["name"]?.ToString() ?? "";
        if (!world.IsServed(session.ChainId!, name))
        {
            SimulatorLog.UnknownFile(logger, name);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        await world.WriteFileAsync(session.ChainId!, name, context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }

    private Session? LoggedIn(HttpContext context) =>
        context.Request.Cookies[SessionCookie] is { } id && _sessions.TryGetValue(id, out var session) && session.ChainId is not null ? session : null;

    private void RedirectToLogin(HttpContext context, string? reason) =>
        context.Response.Redirect(reason is null ? _prefix + "/login" : $"{_prefix}/login?r={reason}");

    private static int Number(string text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value : fallback;

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static Task Html(HttpContext context, string html)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(html, context.RequestAborted);
    }

    private sealed record Session(string Csrf, string? ChainId);
}
