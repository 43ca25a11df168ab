using System.Globalization;
using System.Text;

namespace Workflows.Jsonata;

/// <summary>
/// $formatInteger / $parseInteger pictures, after XPath fn:format-integer as the JSONata docs refer to it:
/// decimal digit patterns (any Unicode digit family, '#', grouping separators), A/a letters, I/i roman numerals,
/// W/w/Ww English words; ";o" for ordinals.
/// </summary>
internal static class IntegerFormat
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly (double Value, string Name)[] Scales = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand")];

    internal enum Kind
    {
        Decimal,
        Upper,
        Lower,
        RomanUpper,
        RomanLower,
        WordsUpper,
        WordsLower,
        WordsTitle,
    }

    internal sealed record Picture(Kind Kind, bool Ordinal, int MinDigits, int Zero, List<(int Position, char Separator)> Groups, int RegularInterval, char RegularSeparator);

    internal static Picture ParsePicture(string picture, int position)
    {
        var primary = picture;
        var modifier = "";
        var semi = picture.LastIndexOf(';');
        if (semi >= 0)
        {
            primary = picture[..semi];
            modifier = picture[(semi + 1)..];
        }

        var ordinal = modifier.StartsWith('o');
        switch (primary)
        {
            case "A": return new Picture(Kind.Upper, ordinal, 0, '0', [], 0, ',');
            case "a": return new Picture(Kind.Lower, ordinal, 0, '0', [], 0, ',');
            case "I": return new Picture(Kind.RomanUpper, ordinal, 0, '0', [], 0, ',');
            case "i": return new Picture(Kind.RomanLower, ordinal, 0, '0', [], 0, ',');
            case "W": return new Picture(Kind.WordsUpper, ordinal, 0, '0', [], 0, ',');
            case "w": return new Picture(Kind.WordsLower, ordinal, 0, '0', [], 0, ',');
            case "Ww": return new Picture(Kind.WordsTitle, ordinal, 0, '0', [], 0, ',');
        }

        var zero = -1;
        var mandatory = 0;
        var digitsSeen = 0;
        var seps = new List<(int, char)>();
        var hasDigit = false;
        foreach (var rune in primary.EnumerateRunes())
        {
            if (Rune.IsDigit(rune))
            {
                var z = rune.Value - (int)Rune.GetNumericValue(rune);
                if (zero >= 0 && z != zero)
                {
                    throw new JsonataException("D3131", "the digits of a picture string must all come from the same digit family", position);
                }

                zero = z;
                mandatory++;
                digitsSeen++;
                hasDigit = true;
            }
            else if (rune.Value == '#')
            {
                digitsSeen++;
                hasDigit = true;
            }
            else
            {
                seps.Add((digitsSeen, (char)rune.Value));
            }
        }

        if (!hasDigit || zero < 0)
        {
            throw new JsonataException("D3130", $"the picture string '{picture}' is not supported: it has no decimal digit and is not one of A a I i W w Ww", position);
        }

        // Separator positions counted from the right, in digits.
        var groups = seps.Select(sp => (digitsSeen - sp.Item1, sp.Item2)).Where(g => g.Item1 > 0).OrderBy(g => g.Item1).ToList();
        var regular = 0;
        if (groups.Count > 0 && groups.All(g => g.Item2 == groups[0].Item2))
        {
            var first = groups[0].Item1;
            if (groups.Select((g, k) => g.Item1 == first * (k + 1)).All(b => b))
            {
                regular = first;
            }
        }

        return new Picture(Kind.Decimal, ordinal, mandatory, zero, groups, regular, groups.Count > 0 ? groups[0].Item2 : ',');
    }

    public static string Format(double d, string picture, int position)
    {
        var p = ParsePicture(picture, position);
        var v = Math.Truncate(d);
        var neg = v < 0;
        v = Math.Abs(v);
        string text;
        switch (p.Kind)
        {
            case Kind.Upper:
            case Kind.Lower:
                text = Letters((long)v);
                text = p.Kind == Kind.Upper ? text.ToUpperInvariant() : text;
                break;
            case Kind.RomanUpper:
            case Kind.RomanLower:
                text = Roman((long)v);
                text = p.Kind == Kind.RomanLower ? text.ToLowerInvariant() : text;
                break;
            case Kind.WordsUpper:
            case Kind.WordsLower:
            case Kind.WordsTitle:
                text = Words(v);
                if (p.Ordinal)
                {
                    text = OrdinalWords(text);
                }

                text = p.Kind switch
                {
                    Kind.WordsUpper => text.ToUpperInvariant(),
                    Kind.WordsTitle => TitleCase(text),
                    _ => text,
                };
                break;
            default:
                text = Decimal(v, p);
                if (p.Ordinal)
                {
                    var n = (long)(v % 100);
                    text += (n % 10, n / 10 == 1) switch
                    {
                        (_, true) => "th",
                        (1, _) => "st",
                        (2, _) => "nd",
                        (3, _) => "rd",
                        _ => "th",
                    };
                }

                break;
        }

        return neg ? "-" + text : text;
    }

    private static string Decimal(double v, Picture p)
    {
        var digits = v.ToString("F0", CultureInfo.InvariantCulture);
        if (digits.Length < p.MinDigits)
        {
            digits = new string('0', p.MinDigits - digits.Length) + digits;
        }

        var sb = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            var fromRight = digits.Length - i;
            sb.Append(char.ConvertFromUtf32(p.Zero + (digits[i] - '0')));
            var after = fromRight - 1;
            if (after <= 0)
            {
                continue;
            }

            if (p.RegularInterval > 0)
            {
                if (after % p.RegularInterval == 0)
                {
                    sb.Append(p.RegularSeparator);
                }
            }
            else
            {
                foreach (var (pos, sep) in p.Groups)
                {
                    if (pos == after)
                    {
                        sb.Append(sep);
                    }
                }
            }
        }

        return sb.ToString();
    }

    private static string Letters(long v)
    {
        var sb = new StringBuilder();
        while (v > 0)
        {
            v--;
            sb.Insert(0, (char)('a' + (v % 26)));
            v /= 26;
        }

        return sb.ToString();
    }

    private static string Roman(long v)
    {
        (int, string)[] table = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")];
        var sb = new StringBuilder();
        foreach (var (n, s) in table)
        {
            while (v >= n)
            {
                sb.Append(s);
                v -= n;
            }
        }

        return sb.ToString();
    }

    internal static string Words(double n)
    {
        if (n < 20)
        {
            return Small[(int)n];
        }

        if (n < 100)
        {
            var t = (int)(n / 10);
            var u = (int)(n % 10);
            return Tens[t] + (u > 0 ? "-" + Small[u] : "");
        }

        if (n < 1000)
        {
            var h = (int)(n / 100);
            var rest = n % 100;
            return Small[h] + " hundred" + (rest > 0 ? " and " + Words(rest) : "");
        }

        foreach (var (value, name) in Scales)
        {
            if (n >= value)
            {
                var high = Math.Floor(n / value);
                var rem = n - (high * value);
                if (rem < 1)
                {
                    rem = 0;
                }

                var text = Words(high) + " " + name;
                if (rem > 0)
                {
                    text += (rem < 100 ? " and " : ", ") + Words(rem);
                }

                return text;
            }
        }

        return "";
    }

    private static string OrdinalWords(string text)
    {
        var cut = Math.Max(text.LastIndexOf(' '), text.LastIndexOf('-')) + 1;
        var last = text[cut..];
        var ord = last switch
        {
            "one" => "first",
            "two" => "second",
            "three" => "third",
            "five" => "fifth",
            "eight" => "eighth",
            "nine" => "ninth",
            "twelve" => "twelfth",
            _ when last.EndsWith('y') => last[..^1] + "ieth",
            _ => last + "th",
        };
        return text[..cut] + ord;
    }

    private static string TitleCase(string text)
    {
        var sb = new StringBuilder();
        var start = true;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (start && char.IsLetter(ch) && !text.AsSpan(i).StartsWith("and ", StringComparison.Ordinal))
            {
                sb.Append(char.ToUpperInvariant(ch));
            }
            else
            {
                sb.Append(ch);
            }

            start = ch is ' ' or '-';
        }

        return sb.ToString();
    }

    public static object? Parse(string s, string picture, int position)
    {
        var p = ParsePicture(picture, position);
        switch (p.Kind)
        {
            case Kind.Upper:
            case Kind.Lower:
                {
                    double v = 0;
                    foreach (var ch in s.ToLowerInvariant())
                    {
                        v = (v * 26) + (ch - 'a' + 1);
                    }

                    return v;
                }

            case Kind.RomanUpper:
            case Kind.RomanLower:
                {
                    var map = new Dictionary<char, int> { ['i'] = 1, ['v'] = 5, ['x'] = 10, ['l'] = 50, ['c'] = 100, ['d'] = 500, ['m'] = 1000 };
                    var lower = s.ToLowerInvariant();
                    double v = 0;
                    for (var i = 0; i < lower.Length; i++)
                    {
                        var cur = map.GetValueOrDefault(lower[i]);
                        var next = i + 1 < lower.Length ? map.GetValueOrDefault(lower[i + 1]) : 0;
                        v += cur < next ? -cur : cur;
                    }

                    return v;
                }

            case Kind.WordsUpper:
            case Kind.WordsLower:
            case Kind.WordsTitle:
                {
                    var tokens = s.ToLowerInvariant().Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries).Where(t => t != "and").Select(Cardinal).ToList();
                    return ParseWords(tokens);
                }

            default:
                {
                    double v = 0;
                    foreach (var rune in s.EnumerateRunes())
                    {
                        if (Rune.IsDigit(rune))
                        {
                            v = (v * 10) + Rune.GetNumericValue(rune);
                        }
                    }

                    return v;
                }
        }
    }

    private static string Cardinal(string word)
    {
        if (Array.IndexOf(Small, word) >= 0 || Array.IndexOf(Tens, word) >= 0 || word is "hundred" or "thousand" or "million" or "billion" or "trillion")
        {
            return word;
        }

        return word switch
        {
            "first" => "one",
            "second" => "two",
            "third" => "three",
            "fifth" => "five",
            "eighth" => "eight",
            "ninth" => "nine",
            "twelfth" => "twelve",
            _ when word.EndsWith("ieth", StringComparison.Ordinal) => word[..^4] + "y",
            _ when word.EndsWith("th", StringComparison.Ordinal) => word[..^2],
            _ => word,
        };
    }

    private static double ParseWords(List<string> tokens)
    {
        if (tokens.Count == 0)
        {
            return 0;
        }

        (double, string)[] scales = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million"), (1e3, "thousand"), (100, "hundred")];
        foreach (var (value, name) in scales)
        {
            var at = tokens.LastIndexOf(name);
            if (at >= 0)
            {
                var left = tokens.GetRange(0, at);
                var right = tokens.GetRange(at + 1, tokens.Count - at - 1);
                return ((left.Count == 0 ? 1 : ParseWords(left)) * value) + ParseWords(right);
            }
        }

        double sum = 0;
        foreach (var t in tokens)
        {
            var i = Array.IndexOf(Small, t);
            if (i >= 0)
            {
                sum += i;
                continue;
            }

            var j = Array.IndexOf(Tens, t);
            if (j >= 2)
            {
                sum += j * 10;
            }
        }

        return sum;
    }
}
