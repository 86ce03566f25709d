namespace Gogobe.Scrapers.Families;

/// <summary>The Cerberus portal refused the chain's user (wrong or disabled account): the chain fails, the other chains on the portal do not.</summary>
public sealed class CerberusLoginRefusedException : Exception
{
    public CerberusLoginRefusedException()
    {
    }

    public CerberusLoginRefusedException(string message)
        : base(message)
    {
    }

    public CerberusLoginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
