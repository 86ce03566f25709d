namespace Gogobe.Storage;

/// <summary>The SQL of the stores file writer: staging table, COPY target and the set-based apply statements (prices: <see cref="PriceSql"/>).</summary>
internal static class StagingSql
{
    // Temp tables live in the file's session and vanish at commit or rollback, so concurrent files never meet.
    public const string CreateStores = """
        CREATE TEMP TABLE staging_stores (
            seq            bigint NOT NULL,
            chain_id       text NOT NULL,
            chain_name     text,
            store_code     integer NOT NULL,
            sub_chain_id   text,
            sub_chain_name text,
            name           text,
            address        text,
            city           text,
            zip            text,
            store_type     smallint,
            bikoret_no     text
        ) ON COMMIT DROP
        """;

    public const string CopyStores = """
        COPY staging_stores (seq, chain_id, chain_name, store_code, sub_chain_id, sub_chain_name, name, address, city, zip,
            store_type, bikoret_no) FROM STDIN (FORMAT BINARY)
        """;

    public const string InsertStoreChains = """
        INSERT INTO chains (chain_id, name)
        SELECT DISTINCT ON (chain_id) chain_id, coalesce(chain_name, chain_id)
        FROM staging_stores
        ORDER BY chain_id, seq DESC
        ON CONFLICT (chain_id) DO NOTHING
        """;

    /// <summary>Upserts the last row per store; only stores whose details changed are rewritten. $1 = now (UTC).</summary>
    public const string UpsertStores = """
        WITH latest AS MATERIALIZED (
            SELECT DISTINCT ON (chain_id, store_code) *
            FROM staging_stores
            ORDER BY chain_id, store_code, seq DESC
        ),
        upserted AS (
            INSERT INTO stores AS t (chain_id, store_code, sub_chain_id, sub_chain_name, name, address, city, zip, store_type, bikoret_no, updated_at)
            SELECT chain_id, store_code, sub_chain_id, sub_chain_name, name, address, city, zip, store_type, bikoret_no, $1
            FROM latest
            ORDER BY chain_id, store_code
            ON CONFLICT (chain_id, store_code) DO UPDATE
            SET sub_chain_id = excluded.sub_chain_id, sub_chain_name = excluded.sub_chain_name, name = excluded.name,
                address = excluded.address, city = excluded.city, zip = excluded.zip, store_type = excluded.store_type,
                bikoret_no = excluded.bikoret_no, updated_at = excluded.updated_at
            WHERE (t.sub_chain_id, t.sub_chain_name, t.name, t.address, t.city, t.zip, t.store_type, t.bikoret_no)
                  IS DISTINCT FROM
                  (excluded.sub_chain_id, excluded.sub_chain_name, excluded.name, excluded.address, excluded.city,
                   excluded.zip, excluded.store_type, excluded.bikoret_no)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM latest), (SELECT count(*) FROM upserted)
        """;
}
