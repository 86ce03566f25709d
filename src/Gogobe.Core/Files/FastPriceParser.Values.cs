using System.Globalization;

namespace Gogobe.Core.Files;

/// <summary>The fast price scanner's leaf values: as XmlReader gives them, or false for what only XmlReader should judge.</summary>
internal sealed partial class FastPriceParser
{
    /// <summary>
    /// A leaf's text as XmlReader gives it: whitespace alone is no text (IgnoreWhitespace), references are expanded.
    /// False for what only XmlReader should judge.
    /// </summary>
    private bool Value(ReadOnlySpan<char> raw, int start, bool plain, out ReadOnlyMemory<char> value)
    {
        value = ReadOnlyMemory<char>.Empty;
        if (plain)
        {
            if (!raw.IsEmpty && (raw[0] is not (' ' or '\t' or '\n') || raw.ContainsAnyExcept(XmlSpace)))
            {
                value = _buf.AsMemory(start, raw.Length);
            }

            return true;
        }

        if (raw.Contains('\r') || raw.IndexOf("]]>", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        if (ContainsControl(raw))
        {
            return false;
        }

        if (!raw.Contains('&'))
        {
            if (raw.ContainsAnyExcept(XmlSpace))
            {
                value = _buf.AsMemory(start, raw.Length);
            }

            return true;
        }

        return Expand(raw, out value);
    }

    private static bool ContainsControl(ReadOnlySpan<char> raw)
    {
        foreach (var c in raw)
        {
            if (c < ' ' && c is not '\t' and not '\n')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Expands the predefined entities and character references into the row's scratch buffer.</summary>
    private bool Expand(ReadOnlySpan<char> raw, out ReadOnlyMemory<char> value)
    {
        value = ReadOnlyMemory<char>.Empty;
        if (_scratch.Length - _scratchUsed < raw.Length)
        {
            // Values already set keep the old array alive; this one gets a fresh one.
            _scratch = new char[Math.Max(_scratch.Length * 2, raw.Length)];
            _scratchUsed = 0;
        }

        var start = _scratchUsed;
        var output = _scratch.AsSpan(start);
        var written = 0;
        while (!raw.IsEmpty)
        {
            var amp = raw.IndexOf('&');
            var plain = amp < 0 ? raw : raw[..amp];
            plain.CopyTo(output[written..]);
            written += plain.Length;
            if (amp < 0)
            {
                break;
            }

            raw = raw[(amp + 1)..];
            if (!AmpersandRepairingReader.StartsReference(raw))
            {
                // Bare, as the repairing reader would have escaped it: the character itself, one repair.
                output[written++] = '&';
                _rowRepairs++;
                continue;
            }

            var semicolon = raw.IndexOf(';');
            if (!TryReference(raw[..semicolon], output[written..], out var chars))
            {
                return false;
            }

            written += chars;
            raw = raw[(semicolon + 1)..];
        }

        var text = output[..written];
        if (!text.ContainsAnyExcept(XmlSpace))
        {
            // Whether references to whitespace make a whitespace node is XmlReader's call.
            return false;
        }

        _scratchUsed = start + written;
        value = _scratch.AsMemory(start, written);
        return true;
    }

    private static bool TryReference(ReadOnlySpan<char> name, Span<char> output, out int chars)
    {
        chars = 1;
        switch (name)
        {
            case "amp":
                output[0] = '&';
                return true;
            case "lt":
                output[0] = '<';
                return true;
            case "gt":
                output[0] = '>';
                return true;
            case "quot":
                output[0] = '"';
                return true;
            case "apos":
                output[0] = '\'';
                return true;
        }

        if (name.Length < 2 || name[0] != '#')
        {
            return false;
        }

        var hex = name[1] == 'x';
        var digits = name[(hex ? 2 : 1)..];
        if (digits.IsEmpty || !int.TryParse(
                digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                CultureInfo.InvariantCulture, out var code))
        {
            return false;
        }

        // Only characters XML allows; anything else (and CR, which has rules of its own) is XmlReader's call.
        if (code is 0x9 or 0xA || code is >= 0x20 and <= 0xD7FF || code is >= 0xE000 and <= 0xFFFD)
        {
            output[0] = (char)code;
            return true;
        }

        if (code is >= 0x10000 and <= 0x10FFFF)
        {
            var pair = char.ConvertFromUtf32(code);
            pair.CopyTo(output);
            chars = pair.Length;
            return true;
        }

        return false;
    }
}
