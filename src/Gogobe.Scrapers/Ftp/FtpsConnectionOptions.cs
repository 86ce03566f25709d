namespace Gogobe.Scrapers.Ftp;

/// <summary>Where and as whom an <see cref="FtpsClient"/> connects. Explicit TLS is not an option: it is always on.</summary>
/// <param name="Host">Server host name or IP; the server certificate must be issued to it (or be pinned).</param>
/// <param name="Port">Control port, 21 for explicit FTPS.</param>
/// <param name="User">Login name (Cerberus: the chain's user name).</param>
/// <param name="Password">Password; Cerberus chains usually have an empty one.</param>
public sealed record FtpsConnectionOptions(string Host, int Port, string User, string Password)
{
    /// <summary>
    /// SHA-256 thumbprint (hex, any case, colons allowed) of a certificate to trust although it does not validate (a
    /// self-signed test server). Null: only certificates that validate normally are accepted.
    /// </summary>
    public string? CertificatePin { get; init; }

    /// <summary>Longest wait for the server: connecting, one reply, one read of file data.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The options an <c>ftps://host[:port]/</c> address stands for.</summary>
    public static FtpsConnectionOptions FromAddress(Uri address, string user, string password, string? certificatePin)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!FtpsClient.IsFtpAddress(address))
        {
            throw new ArgumentException($"{address} is not an ftps:// (or ftp://) address.", nameof(address));
        }

        return new FtpsConnectionOptions(address.Host, address.IsDefaultPort || address.Port <= 0 ? 21 : address.Port, user, password)
        {
            CertificatePin = certificatePin,
        };
    }
}
