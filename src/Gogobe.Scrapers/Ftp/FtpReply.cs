namespace Gogobe.Scrapers.Ftp;

/// <summary>One FTP reply: its code and text (the lines of a multi-line reply joined by a space).</summary>
public sealed record FtpReply(int Code, string Text)
{
    /// <summary>1yz: the command started; a final reply follows.</summary>
    public bool IsPreliminary => Code is >= 100 and < 200;

    /// <summary>2yz: done.</summary>
    public bool IsSuccess => Code is >= 200 and < 300;

    /// <summary>3yz: more is needed (PASS after USER).</summary>
    public bool IsIntermediate => Code is >= 300 and < 400;

    public override string ToString() => $"{Code} {Text}";
}
