namespace Gogobe.Host.Configuration;

/// <summary><c>Gogobe:Server</c>: where <c>gogobe serve</c> listens and who may change things through its API.</summary>
internal sealed class ServerOptions
{
    public const string Section = "Gogobe:Server";

    /// <summary>Addresses to listen on, separated by <c>;</c>. Loopback by default: the API is not meant for the open network.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8000";

    /// <summary>Bearer token for the API. Required when any address is not loopback; checked whenever set.</summary>
    public string? Token { get; set; }

    /// <summary>Also require the token for <c>GET /api/*</c> (the dashboard page itself stays public).</summary>
    public bool ProtectReadEndpoints { get; set; }

    /// <summary>Largest request body Kestrel accepts. The API takes no uploads, so small.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>The configured addresses, one per entry.</summary>
    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
