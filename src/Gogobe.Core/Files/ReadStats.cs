namespace Gogobe.Core.Files;

/// <summary>
/// Counts kept while one file is read: rows accepted, rows rejected (by reason), values repaired,
/// and values dropped from otherwise good rows (warnings). Not thread-safe: one file, one reader.
/// </summary>
public sealed class ReadStats
{
    private readonly Dictionary<string, int> _rejects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _warnings = new(StringComparer.Ordinal);

    /// <summary>Rows accepted and handed on.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Rows refused (see <see cref="RejectsByReason"/>).</summary>
    public int RowsRejected { get; private set; }

    /// <summary>Values cleaned so they could be used: trimmed, a bare <c>&amp;</c> escaped, a decimal comma read as a point.</summary>
    public int Repairs { get; private set; }

    public IReadOnlyDictionary<string, int> RejectsByReason => _rejects;

    /// <summary>Optional values that could not be read and were left empty on an accepted row (e.g. "bad PriceUpdateDate").</summary>
    public IReadOnlyDictionary<string, int> WarningsByReason => _warnings;

    /// <summary>
    /// The layout the parser recognised, e.g. "standard Root/Items/Item", "Laib Sales/Sale", "Stores SAP asx:abap";
    /// null until the parser has seen the root. Set by the parsers, shown by <see cref="PriceFileReader.Inspect"/>.
    /// </summary>
    public string? Shape { get; set; }

    public void Accept() => RowsRead++;

    public void Reject(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        RowsRejected++;
        _rejects[reason] = _rejects.GetValueOrDefault(reason) + 1;
    }

    public void Warn(string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        _warnings[reason] = _warnings.GetValueOrDefault(reason) + 1;
    }

    public void AddRepairs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Repairs += count;
    }

    public override string ToString() =>
        $"read {RowsRead}, rejected {RowsRejected}" +
        (_rejects.Count == 0 ? string.Empty : " (" + string.Join(", ", _rejects.Select(r => $"{r.Key}: {r.Value}")) + ")") +
        $", repairs {Repairs}";
}
