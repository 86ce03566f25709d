using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Gogobe.Scrapers.Ftp;

/// <summary>
/// Server certificate policy: a certificate that validates normally is accepted; one that does not is accepted only
/// when its SHA-256 thumbprint equals the configured pin. There is deliberately no "accept any certificate" switch.
/// </summary>
internal sealed class FtpsCertificates(string host, string? pin)
{
    private readonly string? _pin = pin is null ? null : Normalize(pin);

    /// <summary>Why the last certificate was refused, for the error message; null when none was.</summary>
    public string? Refusal { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        var thumbprint = certificate?.GetCertHashString(HashAlgorithmName.SHA256);
        if (_pin is not null && thumbprint is not null && string.Equals(thumbprint, _pin, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        Refusal = $"the TLS certificate of {host} is not trusted ({errors}; SHA-256 {thumbprint ?? "none"})"
            + (_pin is null ? "; pin its SHA-256 thumbprint for this portal only if it is the right server" : "; it does not match the pinned thumbprint");
        return false;
    }

    public SslClientAuthenticationOptions Options() => new()
    {
        TargetHost = host,
        RemoteCertificateValidationCallback = Validate,
        EnabledSslProtocols = System.Security.Authentication.SslProtocols.None, // the OS picks: TLS 1.2 or 1.3
    };

    /// <summary>Upper-case hex without separators, as <see cref="X509Certificate.GetCertHashString(HashAlgorithmName)"/> gives it.</summary>
    public static string Normalize(string thumbprint)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        return thumbprint.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();
    }
}
