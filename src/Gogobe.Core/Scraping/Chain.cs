namespace Gogobe.Core.Scraping;

/// <summary>
/// A supermarket chain as the law names it: a display name and its 13-digit GS1 chain id. Some chains publish under
/// more than one id (a second legal entity, an acquired chain); <see cref="OtherIds"/> lists those. Everything a chain
/// publishes is stored under <see cref="Id"/>, so the other ids' store numbers must not collide with the main id's.
/// </summary>
public sealed record Chain(string Name, string Id)
{
    /// <summary>Further GS1 ids the chain's files are named with.</summary>
    public IReadOnlyList<string> OtherIds { get; init; } = [];

    /// <summary>Every id the chain publishes under, <see cref="Id"/> first.</summary>
    public IEnumerable<string> AllIds => OtherIds.Prepend(Id);

    /// <summary>True when a file named with <paramref name="chainId"/> belongs to this chain.</summary>
    public bool Owns(string chainId) =>
        string.Equals(Id, chainId, StringComparison.Ordinal) || OtherIds.Contains(chainId, StringComparer.Ordinal);

    public bool Equals(Chain? other) =>
        other is not null && Name == other.Name && Id == other.Id && OtherIds.SequenceEqual(other.OtherIds, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Name, Id);

    public override string ToString() => $"{Name} ({Id})";
}
