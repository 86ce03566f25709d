namespace Gogobe.Core.Scraping;

/// <summary>A supermarket chain as the law names it: a display name and its 13-digit GS1 chain id.</summary>
public sealed record Chain(string Name, string Id)
{
    public override string ToString() => $"{Name} ({Id})";
}
