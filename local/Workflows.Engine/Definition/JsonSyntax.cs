using System.Text.Json;

namespace Workflows.Engine.Definition;

/// <summary>
/// A JSON syntax error said in our words: where (line and column, one-based, in characters) and what was expected
/// there, found by reading the text around the point the parser stopped, instead of System.Text.Json's own message
/// ("... Change the reader options. LineNumber: 0 | BytePositionInLine: 62.").
/// </summary>
public static class JsonSyntax
{
    /// <summary>"line L, column C: what went wrong and what was expected".</summary>
    public static string Describe(string text, JsonException error)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(error);
        var offset = Offset(text, (int)(error.LineNumber ?? 0), (int)(error.BytePositionInLine ?? 0));
        var (line, column) = LineAndColumn(text, offset);
        return $"line {line}, column {column}: {What(text, offset)}";
    }

    /// <summary>The character offset of a zero-based line and UTF-8 byte position within it.</summary>
    private static int Offset(string text, int line, int bytePosition)
    {
        var i = 0;
        for (var l = 0; l < line && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                l++;
            }
        }

        var bytes = 0;
        while (i < text.Length && bytes < bytePosition && text[i] != '\n')
        {
            bytes += char.IsSurrogatePair(text, i) ? 4 : text[i] < 0x80 ? 1 : text[i] < 0x800 ? 2 : 3;
            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        }

        return i;
    }

    private static (int Line, int Column) LineAndColumn(string text, int offset)
    {
        int line = 1, column = 1;
        for (var i = 0; i < offset && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return (line, column);
    }

    private static string What(string text, int offset)
    {
        var at = NextSignificant(text, offset);
        var before = PreviousSignificant(text, Math.Min(offset, text.Length) - 1, out var beforeAt);
        var open = OpenBrackets(text, at < 0 ? text.Length : at);
        if (at < 0)
        {
            return open.Count > 0
                ? $"the text ends too early: expected {Closer(open.Peek())} (or more) to close the {Name(open.Peek())} still open"
                : "the text ends too early: expected a JSON value";
        }

        var c = text[at];
        if (c is '}' or ']' && before == ',')
        {
            return $"a comma before '{c}': JSON allows no trailing comma; remove the ',' at column {LineAndColumn(text, beforeAt).Column}";
        }

        if (c == '/' && at + 1 < text.Length && text[at + 1] is '/' or '*')
        {
            return "a comment: JSON has no comments";
        }

        if (c == '\'')
        {
            return "a single quote: JSON strings and names take double quotes (\")";
        }

        var inObject = open.Count > 0 && open.Peek() == '{';
        if (inObject && before is '{' or ',')
        {
            return $"expected a property name in double quotes, found {Shown(text, at)}";
        }

        if (inObject && before == '"' && c != ':' && IsAfterName(text, beforeAt))
        {
            return $"expected ':' after the property name, found {Shown(text, at)}";
        }

        if (before is ':' or '[' or ',' || before == '\0')
        {
            return $"expected a value (a string, number, object, array, true, false or null), found {Shown(text, at)}";
        }

        if (open.Count > 0)
        {
            return $"expected ',' or {Closer(open.Peek())} after a value, found {Shown(text, at)}";
        }

        return $"unexpected {Shown(text, at)} after the end of the JSON value";
    }

    private static string Shown(string text, int at)
    {
        var end = at;
        while (end < text.Length && end - at < 12 && !char.IsWhiteSpace(text[end]) && (end == at || text[end] is not (',' or ':' or '}' or ']' or '{' or '[')))
        {
            end++;
        }

        return $"'{text[at..end]}'";
    }

    private static string Closer(char open) => open == '{' ? "'}'" : "']'";

    private static string Name(char open) => open == '{' ? "object" : "array";

    private static int NextSignificant(string text, int from)
    {
        for (var i = Math.Max(0, from); i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static char PreviousSignificant(string text, int from, out int at)
    {
        for (var i = from; i >= 0; i--)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                at = i;
                return text[i];
            }
        }

        at = -1;
        return '\0';
    }

    // Whether the string that ends at 'end' (its closing quote) is a property name: it follows '{' or ','.
    private static bool IsAfterName(string text, int end)
    {
        var start = end - 1;
        while (start >= 0 && (text[start] != '"' || Escaped(text, start)))
        {
            start--;
        }

        return start > 0 && PreviousSignificant(text, start - 1, out _) is '{' or ',';
    }

    private static bool Escaped(string text, int quote)
    {
        var slashes = 0;
        for (var i = quote - 1; i >= 0 && text[i] == '\\'; i--)
        {
            slashes++;
        }

        return slashes % 2 == 1;
    }

    /// <summary>The brackets open at <paramref name="end"/>, strings skipped, innermost on top.</summary>
    private static Stack<char> OpenBrackets(string text, int end)
    {
        var open = new Stack<char>();
        var inString = false;
        for (var i = 0; i < end && i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                open.Push(c);
            }
            else if (c is '}' or ']' && open.Count > 0)
            {
                open.Pop();
            }
        }

        return open;
    }
}
