using System.Text;

namespace Gogobe.Scrapers.Families;

/// <summary>
/// Reads a JavaScript object/array literal as JSON without evaluating anything: single-quoted strings become JSON
/// strings, bare keys get quoted, comments and trailing commas go. Enough for the data literals portals embed in a
/// page (<c>const files = [{name: 'x.gz', size: 12}]</c>); anything executable (calls, operators) is refused.
/// </summary>
internal static class JsLiteral
{
    /// <summary>
    /// The literal that starts at the first <c>[</c> or <c>{</c> after <c>&lt;keyword&gt; &lt;name&gt; =</c> in
    /// <paramref name="script"/>, as JSON; null when the script declares no such variable.
    /// </summary>
    public static string? FindDeclaration(string script, string name)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var i in ValueStarts(script, name))
        {
            if (script[i] is '[' or '{')
            {
                return ToJson(script, i);
            }
        }

        return null;
    }

    /// <summary>The string value of <c>&lt;keyword&gt; &lt;name&gt; = '...'</c> (either quote), or null.</summary>
    public static string? FindString(string script, string name)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var start in ValueStarts(script, name))
        {
            if (script[start] is '\'' or '"')
            {
                var i = start;
                var text = new StringBuilder();
                ReadString(script, ref i, text);
                return text.ToString();
            }
        }

        return null;
    }

    /// <summary>Where the value of each <c>const|let|var &lt;name&gt; =</c> declaration in <paramref name="script"/> starts.</summary>
    private static IEnumerable<int> ValueStarts(string script, string name)
    {
        foreach (var keyword in (string[])["const", "let", "var"])
        {
            var at = 0;
            while ((at = script.IndexOf(keyword, at, StringComparison.Ordinal)) >= 0)
            {
                var i = at + keyword.Length;
                at = i;
                if (!Word(script, i, name, out i))
                {
                    continue;
                }

                i = SkipSpace(script, i);
                if (i >= script.Length || script[i] != '=')
                {
                    continue;
                }

                i = SkipSpace(script, i + 1);
                if (i < script.Length)
                {
                    yield return i;
                }
            }
        }
    }

    /// <summary>Converts the literal starting at <paramref name="start"/> (a <c>[</c> or <c>{</c>) to JSON, stopping at its matching bracket.</summary>
    public static string ToJson(string source, int start)
    {
        ArgumentNullException.ThrowIfNull(source);
        var json = new StringBuilder(source.Length - start);
        var depth = 0;
        var i = start;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && i + 1 < source.Length && source[i + 1] is '/' or '*')
            {
                i = SkipComment(source, i);
            }
            else if (c is '\'' or '"')
            {
                var text = new StringBuilder();
                ReadString(source, ref i, text);
                AppendJsonString(json, text.ToString());
            }
            else if (c is '[' or '{')
            {
                depth++;
                json.Append(c);
                i++;
            }
            else if (c is ']' or '}')
            {
                // A trailing comma is legal in JavaScript, not in JSON.
                if (json.Length > 0 && json[^1] == ',')
                {
                    json.Length--;
                }

                json.Append(c);
                i++;
                if (--depth == 0)
                {
                    return json.ToString();
                }
            }
            else if (c is ',' or ':')
            {
                json.Append(c);
                i++;
            }
            else if (c == '-' || char.IsAsciiDigit(c))
            {
                var from = i++;
                while (i < source.Length && (char.IsAsciiDigit(source[i]) || source[i] is '.' or 'e' or 'E' or '+' or '-'))
                {
                    i++;
                }

                json.Append(source, from, i - from);
            }
            else if (IsIdentifierStart(c))
            {
                var from = i;
                while (i < source.Length && IsIdentifierPart(source[i]))
                {
                    i++;
                }

                var word = source[from..i];
                json.Append(word switch
                {
                    "true" or "false" or "null" => word,
                    "undefined" => "null",
                    _ when SkipSpace(source, i) < source.Length && source[SkipSpace(source, i)] == ':' => Quote(word),
                    _ => throw new FormatException($"The literal holds the expression '{word}' at {from}, not data."),
                });
            }
            else
            {
                throw new FormatException($"Unexpected '{c}' at {i} in a JavaScript literal.");
            }
        }

        throw new FormatException("The JavaScript literal is not closed.");
    }

    private static bool Word(string s, int i, string word, out int end)
    {
        end = i;
        if (i >= s.Length || !char.IsWhiteSpace(s[i]))
        {
            return false;
        }

        i = SkipSpace(s, i);
        if (string.CompareOrdinal(s, i, word, 0, word.Length) != 0)
        {
            return false;
        }

        end = i + word.Length;
        return end >= s.Length || !IsIdentifierPart(s[end]);
    }

    private static int SkipSpace(string s, int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
        {
            i++;
        }

        return i;
    }

    private static int SkipComment(string s, int i)
    {
        if (s[i + 1] == '/')
        {
            var end = s.IndexOf('\n', i);
            return end < 0 ? s.Length : end + 1;
        }

        var close = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return close < 0 ? throw new FormatException("Unclosed comment in a JavaScript literal.") : close + 2;
    }

    /// <summary>Reads a quoted string at <paramref name="i"/> (either quote) into <paramref name="text"/>, unescaped.</summary>
    private static void ReadString(string s, ref int i, StringBuilder text)
    {
        var quote = s[i++];
        while (i < s.Length)
        {
            var c = s[i++];
            if (c == quote)
            {
                return;
            }

            if (c != '\\' || i >= s.Length)
            {
                text.Append(c);
                continue;
            }

            var e = s[i++];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'u' when i + 4 <= s.Length && int.TryParse(s.AsSpan(i, 4), System.Globalization.NumberStyles.HexNumber, null, out var code):
                    text.Append((char)code);
                    i += 4;
                    break;
                default: text.Append(e); break; // \' \" \\ \/ and any other escaped character stand for themselves
            }
        }

        throw new FormatException("Unclosed string in a JavaScript literal.");
    }

    private static void AppendJsonString(StringBuilder json, string value) => json.Append(Quote(value));

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c is '_' or '$';

    private static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
