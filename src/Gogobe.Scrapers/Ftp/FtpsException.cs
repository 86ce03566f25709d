namespace Gogobe.Scrapers.Ftp;

/// <summary>
/// An FTP server refused or broke an exchange. The message names what was attempted and quotes the server's reply
/// ("FTPS login failed for user X: 530 Login incorrect."), which is what an operator needs to act on.
/// </summary>
public sealed class FtpsException : IOException
{
    public FtpsException()
    {
    }

    public FtpsException(string message)
        : base(message)
    {
    }

    public FtpsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public FtpsException(string message, FtpReply reply)
        : base($"{message}: {reply}")
    {
        ArgumentNullException.ThrowIfNull(reply);
        ReplyCode = reply.Code;
    }

    /// <summary>The server's three-digit reply code, when a reply caused this (530 bad login, 550 no such file, ...).</summary>
    public int? ReplyCode { get; }
}
