namespace Gogobe.Core.Files;

/// <summary>The five kinds of file the law makes every chain publish.</summary>
public enum FileKind
{
    Stores,
    PriceFull,
    Price,
    PromoFull,
    Promo,
}
