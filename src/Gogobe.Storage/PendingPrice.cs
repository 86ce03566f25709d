using Gogobe.Core.Files;

namespace Gogobe.Storage;

/// <summary>The columns of a price row that the prices and price_history rows take, kept until the file completes.</summary>
internal readonly record struct PendingPrice(decimal Price, decimal? UnitPrice, bool? AllowDiscount, short? ItemStatus, DateTime? PriceUpdatedAt)
{
    public PendingPrice(PriceRow row)
        : this(
            row.ItemPrice,
            row.UnitOfMeasurePrice,
            row.AllowDiscount,
            row.ItemStatus is { } status ? checked((short)status) : null,
            // Published as Israel local time without a zone; "timestamp" must not receive a UTC-kind value.
            row.PriceUpdateDate is { } updated ? DateTime.SpecifyKind(updated, DateTimeKind.Unspecified) : null)
    {
    }
}
