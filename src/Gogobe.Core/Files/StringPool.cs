namespace Gogobe.Core.Files;

/// <summary>
/// Shares the strings of short values that repeat across a file's rows (chain id, unit of measure, country, maker…):
/// one string per distinct value instead of one per row. Looked up by span, so a hit allocates nothing. Bounded, so a
/// file of all-distinct values costs a fixed amount and then plain allocation.
/// </summary>
internal sealed class StringPool
{
    private const int MaxLength = 48;
    private const int MaxEntries = 8192;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    public StringPool() => _bySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> value)
    {
        if (value.Length > MaxLength)
        {
            return new string(value);
        }

        if (_bySpan.TryGetValue(value, out var shared))
        {
            return shared;
        }

        var made = new string(value);
        if (_strings.Count < MaxEntries)
        {
            _strings[made] = made;
        }

        return made;
    }
}
