namespace Gogobe.Simulator.Model;

/// <summary>Distinct streams of the deterministic hash, one per simulated property.</summary>
internal static class Salt
{
    public const ulong Catalogue = 0x1001;
    public const ulong StoreOffset = 0x1002;
    public const ulong StoreStride = 0x1003;
    public const ulong Internal = 0x1004;
    public const ulong StorePrice = 0x1005;
    public const ulong Duplicate = 0x1006;
    public const ulong DuplicateOf = 0x1007;
    public const ulong Change = 0x1008;
    public const ulong ChangeSize = 0x1009;
    public const ulong UpdateDate = 0x100A;
    public const ulong Flags = 0x100B;
    public const ulong StoreInfo = 0x100C;
    public const ulong Garbage = 0x100D;
    public const ulong Produce = 0x100E;
    public const ulong Incremental = 0x100F;
    public const ulong Promotion = 0x1010;
    public const ulong PromoIncremental = 0x1011;
    public const ulong EmptyPromo = 0x1012;
    public const ulong Flaw = 0x1013;
}
