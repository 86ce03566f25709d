namespace Gogobe.Core.Files;

internal sealed partial class FastPriceParser
{
    /// <summary>
    /// What a row held at one position of its fields last time: the white space before the element, its start tag and
    /// its field. Rows of one file are written alike, so the next row's text there is most often the same chars.
    /// </summary>
    private struct FieldSlot
    {
        // Longer white space or names are not remembered (such a position takes the general way each row).
        private const int MaxText = 128;

        private char[]? _text;
        private int _length;
        private int _nameStart;

        public PriceField Field { get; private set; }

        public int NameLength { get; private set; }

        /// <summary>
        /// True when the text at <paramref name="p"/> is the white space and plain start tag (<c>&lt;Name&gt;</c>) remembered
        /// here; <paramref name="content"/> is then where the value starts.
        /// </summary>
        public readonly bool Matches(ReadOnlySpan<char> s, int p, out int content)
        {
            content = p + _length;
            return _length > 0 && s.Length - p >= _length && s.Slice(p, _length).SequenceEqual(_text.AsSpan(0, _length));
        }

        // A name is remembered (NameLength > 0) only into _text.
        public readonly bool HasName(ReadOnlySpan<char> name) =>
            NameLength > 0 && name.SequenceEqual(_text.AsSpan(_nameStart, NameLength));

        /// <summary>
        /// Remembers an element met here: its name and field always (when short enough), the white space before it and its
        /// start tag only when that tag is plain (<paramref name="plainTag"/>: <c>&gt;</c> right after the name), which is
        /// all <see cref="Matches"/> may answer for.
        /// </summary>
        public void Remember(ReadOnlySpan<char> lead, ReadOnlySpan<char> name, bool plainTag, PriceField field)
        {
            _length = 0;
            NameLength = 0;
            Field = field;
            var whole = lead.Length + name.Length + 2;
            if (name.Length + 2 > MaxText)
            {
                return;
            }

            _text ??= new char[MaxText];
            if (plainTag && whole <= MaxText)
            {
                lead.CopyTo(_text);
                _text[lead.Length] = '<';
                name.CopyTo(_text.AsSpan(lead.Length + 1));
                _text[whole - 1] = '>';
                _length = whole;
                _nameStart = lead.Length + 1;
            }
            else
            {
                name.CopyTo(_text);
                _nameStart = 0;
            }

            NameLength = name.Length;
        }
    }
}
