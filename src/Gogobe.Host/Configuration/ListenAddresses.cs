using System.Net;

namespace Gogobe.Host.Configuration;

/// <summary>What a listen address (as Kestrel takes it: <c>http://host:port</c>) exposes.</summary>
internal static class ListenAddresses
{
    /// <summary>The host part of <paramref name="url"/>, or null when it is not an http(s) address.</summary>
    public static string? Host(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        // Kestrel's wildcards ("*", "+") are not valid URI hosts; they mean every interface.
        var parsable = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal).Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        return Uri.TryCreate(parsable, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.Host
            : null;
    }

    /// <summary>True when only this machine can reach <paramref name="url"/>: <c>localhost</c> or a loopback IP.</summary>
    public static bool IsLoopback(string url) => Host(url) is { } host
        && (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));
}
