using System.Text;

namespace Workflows.EventBridge.Patterns;

/// <summary>
/// A <c>wildcard</c> value: <c>*</c> stands for zero or more characters; <c>\*</c> is a literal star and <c>\\</c> a
/// literal backslash (content filtering page, "Wildcard matching"). Two stars in a row are refused as EventBridge does,
/// and so is a backslash before any other character (Inferred: the documentation names only those two escapes).
/// Matching places the literal pieces in order, each at its earliest position: no regex engine, no backtracking blow-up.
/// </summary>
internal sealed class Wildcard
{
    private readonly string[] _parts; // the literal pieces around the stars

    private Wildcard(string[] parts)
    {
        _parts = parts;
    }

    public int Stars => _parts.Length - 1;

    /// <summary>Parses the pattern text; null and a reason when it is not valid.</summary>
    public static Wildcard? TryParse(string text, out string? error)
    {
        error = null;
        var parts = new List<string>();
        var current = new StringBuilder();
        var previousWasStar = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\')
            {
                if (i + 1 >= text.Length || (text[i + 1] != '*' && text[i + 1] != '\\'))
                {
                    error = $"Invalid escape character at position {i + 1} of wildcard \"{text}\": only \\* and \\\\ are escapes";
                    return null;
                }

                current.Append(text[++i]);
                previousWasStar = false;
            }
            else if (c == '*')
            {
                if (previousWasStar)
                {
                    error = $"Consecutive wildcard characters at position {i + 1} of wildcard \"{text}\"";
                    return null;
                }

                parts.Add(current.ToString());
                current.Clear();
                previousWasStar = true;
            }
            else
            {
                current.Append(c);
                previousWasStar = false;
            }
        }

        parts.Add(current.ToString());
        return new Wildcard([.. parts]);
    }

    public bool IsMatch(string value)
    {
        if (_parts.Length == 1)
        {
            return string.Equals(value, _parts[0], StringComparison.Ordinal);
        }

        var first = _parts[0];
        var last = _parts[^1];
        if (!value.StartsWith(first, StringComparison.Ordinal) || value.Length < first.Length + last.Length
            || !value.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        // The middle pieces must occur in order between the fixed head and tail; taking each at its earliest place
        // is enough, as any later place leaves less room for the rest.
        var position = first.Length;
        var end = value.Length - last.Length;
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var piece = _parts[i];
            var found = value.IndexOf(piece, position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + piece.Length;
        }

        return position <= end;
    }
}
