namespace Gogobe.Simulator;

/// <summary>One price the simulated world changed when it moved to the next day.</summary>
public sealed record PriceChange(string ChainId, int StoreId, string ProductKey, decimal OldPrice, decimal NewPrice);
