namespace Gogobe.Core.Files;

/// <summary>One store of a Stores file. <see cref="StoreId"/> is normalised to a number ("013" and "13" are one store).</summary>
public sealed class StoreRow
{
    public required string ChainId { get; init; }
    public string? ChainName { get; init; }
    public string? SubChainId { get; init; }
    public string? SubChainName { get; init; }
    public required int StoreId { get; init; }
    public string? BikoretNo { get; init; }

    /// <summary>1 physical, 2 online, 3 both.</summary>
    public int? StoreType { get; init; }
    public string? StoreName { get; init; }
    public string? Address { get; init; }
    public string? City { get; init; }
    public string? ZipCode { get; init; }
}
