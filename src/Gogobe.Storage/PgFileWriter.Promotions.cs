using Gogobe.Core.Files;
using Npgsql;
using NpgsqlTypes;

namespace Gogobe.Storage;

/// <summary>
/// The promotion path of a file's transaction. Promotions and their items are staged by binary COPY into two temp
/// tables (items carry their promotion's seq); <see cref="ApplyPromotionsAsync"/> applies them set-based.
/// <para>
/// RowsChanged of a promo file = promotions inserted + promotions updated (a field or the item set differs; being
/// listed again unchanged only moves <c>seen_at</c> and is not a change) + promotions deleted (PromoFull only).
/// </para>
/// </summary>
internal sealed partial class PgFileWriter
{
    public async Task WritePromotionsAsync(IReadOnlyCollection<PromotionRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ThrowIfCompleted();
        if (_target.Kind is not (FileKind.PromoFull or FileKind.Promo))
        {
            throw new InvalidOperationException($"{_target.FileName} is a {_target.Kind} file; only Promo and PromoFull files hold promotions.");
        }

        if (rows.Count == 0)
        {
            return;
        }

        await EnsurePromotionStagingAsync(cancellationToken).ConfigureAwait(false);
        var firstSeq = _stagedPromotions;

        var importer = await _connection.BeginBinaryImportAsync(PromotionSql.CopyPromotions, cancellationToken).ConfigureAwait(false);
        await using (importer.ConfigureAwait(false))
        {
            var seq = firstSeq;
            foreach (var row in rows)
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(seq++, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ChainId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.PromotionId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await WriteTextAsync(importer, row.Description, cancellationToken).ConfigureAwait(false);
                await WriteLocalTimeAsync(importer, row.StartsAt, cancellationToken).ConfigureAwait(false);
                await WriteLocalTimeAsync(importer, row.EndsAt, cancellationToken).ConfigureAwait(false);
                await WriteLocalTimeAsync(importer, row.UpdatedAt, cancellationToken).ConfigureAwait(false);
                await WriteSmallintAsync(importer, row.RewardType, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.AllowMultipleDiscounts, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.IsWeightedPromo, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.MinQty, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.MaxQty, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.DiscountedPrice, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.DiscountedPricePerMida, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.DiscountRate, NpgsqlDbType.Numeric, cancellationToken).ConfigureAwait(false);
                await WriteSmallintAsync(importer, row.DiscountType, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.MinNoOfItemsOffered, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.IsCoupon, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.GiftCount, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.IsTotal, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await WriteValueAsync(importer, row.IsActive, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await importer.WriteAsync(row.ClubIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        // A second COPY (one connection runs one COPY at a time), numbering each promotion's items as above.
        var itemImporter = await _connection.BeginBinaryImportAsync(PromotionSql.CopyItems, cancellationToken).ConfigureAwait(false);
        await using (itemImporter.ConfigureAwait(false))
        {
            var seq = firstSeq;
            foreach (var row in rows)
            {
                var promotionSeq = seq++;
                foreach (var item in row.Items)
                {
                    await itemImporter.StartRowAsync(cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(promotionSeq, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(row.PromotionId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.ProductKey(row.ChainId), NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(row.ChainId, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.ItemCode, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(checked((short)item.ItemType), NpgsqlDbType.Smallint, cancellationToken).ConfigureAwait(false);
                    await itemImporter.WriteAsync(item.IsGift, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                }
            }

            await itemImporter.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        _stagedPromotions = firstSeq + rows.Count;
    }

    /// <summary>
    /// Applies the staged promotions to the file's store: PromoFull makes the store's set exactly the file's
    /// (unlisted ones deleted), Promo only adds and updates. Returns (distinct promotions staged, rows changed).
    /// </summary>
    private async Task<(long Distinct, long Changed)> ApplyPromotionsAsync(DateTime now, CancellationToken cancellationToken)
    {
        await ExecuteAsync("SET LOCAL work_mem = '64MB'", cancellationToken).ConfigureAwait(false);
        await EnsurePromotionStagingAsync(cancellationToken).ConfigureAwait(false);

        await ExecuteAsync(PromotionSql.CreateLatest, cancellationToken, StoreParameter()).ConfigureAwait(false);
        await ExecuteAsync(PromotionSql.AnalyzeLatest, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(PromotionSql.InsertBareProducts, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(PromotionSql.CreateLatestItems, cancellationToken).ConfigureAwait(false);

        long deleted = 0;
        if (_target.Kind == FileKind.PromoFull)
        {
            using var delete = new NpgsqlCommand(PromotionSql.DeleteUnlisted, _connection, _transaction);
            delete.Parameters.Add(StoreParameter());
            deleted = (long)(await delete.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await ExecuteAsync(PromotionSql.UpsertPromotions, cancellationToken, ApplyParameters(now)).ConfigureAwait(false);
        var (distinct, changed) = await QueryPairAsync(PromotionSql.ReplaceItems, cancellationToken, StoreParameter()).ConfigureAwait(false);
        return (distinct, changed + deleted);
    }

    private async Task EnsurePromotionStagingAsync(CancellationToken cancellationToken)
    {
        if (!_promotionStagingCreated)
        {
            await ExecuteAsync(PromotionSql.CreateStaging, cancellationToken).ConfigureAwait(false);
            _promotionStagingCreated = true;
        }
    }

    private NpgsqlParameter<int> StoreParameter() => new() { TypedValue = _storeDbId!.Value };

    // Published as Israel local time without a zone; "timestamp" must not receive a UTC-kind value.
    private static Task WriteLocalTimeAsync(NpgsqlBinaryImporter importer, DateTime? value, CancellationToken cancellationToken) =>
        WriteValueAsync<DateTime>(
            importer,
            value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Unspecified) : null,
            NpgsqlDbType.Timestamp,
            cancellationToken);

    private static Task WriteSmallintAsync(NpgsqlBinaryImporter importer, int? value, CancellationToken cancellationToken) =>
        WriteValueAsync<short>(importer, value is { } v ? checked((short)v) : null, NpgsqlDbType.Smallint, cancellationToken);
}
