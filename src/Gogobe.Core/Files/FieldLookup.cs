namespace Gogobe.Core.Files;

/// <summary>
/// An element name's field, by any of its spellings (case-insensitive). Keyed by the reader's atomised name string:
/// after the first row each lookup is a pointer hash.
/// </summary>
internal sealed class FieldLookup<TField>(Dictionary<string, TField> names, TField unknown)
    where TField : struct, Enum
{
    private readonly Dictionary<object, TField> _cache = new(ReferenceEqualityComparer.Instance);

    public TField Of(string atomizedName)
    {
        if (!_cache.TryGetValue(atomizedName, out var field))
        {
            field = names.GetValueOrDefault(atomizedName, unknown);
            _cache[atomizedName] = field;
        }

        return field;
    }
}
