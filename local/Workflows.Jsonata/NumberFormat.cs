using System.Globalization;
using System.Text;

namespace Workflows.Jsonata;

/// <summary>$formatNumber: XPath fn:format-number pictures (as the JSONata docs refer to them), with its error codes D3080-D3093.</summary>
internal static class NumberFormat
{
    private sealed class Props
    {
        public string Decimal = ".";
        public string Group = ",";
        public string Exponent = "e";
        public string Minus = "-";
        public string Percent = "%";
        public string PerMille = "\u2030";
        public int Zero = '0';
        public string Digit = "#";
        public string PatternSep = ";";
        public string Infinity = "Infinity";
        public string NaN = "NaN";

        public bool IsDigitFamily(string s) => s.Length == 1 && s[0] >= Zero && s[0] <= Zero + 9;

        public bool IsActive(string s) => IsDigitFamily(s) || s == Digit || s == Decimal || s == Group || s == Exponent;
    }

    private sealed record Sub(string Prefix, string Suffix, List<string> Integer, List<string> Fraction, List<string>? ExponentPart, bool Percent, bool PerMille);

    public static string Format(double value, string picture, JObject? options, int position)
    {
        var p = new Props();
        if (options is not null)
        {
            foreach (var (k, v) in options)
            {
                if (v is not string s)
                {
                    continue;
                }

                switch (k)
                {
                    case "decimal-separator": p.Decimal = s; break;
                    case "grouping-separator": p.Group = s; break;
                    case "exponent-separator": p.Exponent = s; break;
                    case "minus-sign": p.Minus = s; break;
                    case "percent": p.Percent = s; break;
                    case "per-mille": p.PerMille = s; break;
                    case "zero-digit": p.Zero = s[0]; break;
                    case "digit": p.Digit = s; break;
                    case "pattern-separator": p.PatternSep = s; break;
                    case "infinity": p.Infinity = s; break;
                    case "NaN": p.NaN = s; break;
                }
            }
        }

        var pics = picture.Split(p.PatternSep);
        if (pics.Length > 2)
        {
            throw new JsonataException("D3080", "a $formatNumber picture may have at most two sub-pictures", position);
        }

        var subs = pics.Select(x => Analyse(x, p, position)).ToList();
        if (double.IsNaN(value))
        {
            return p.NaN;
        }

        var sub = subs[0];
        var prefix = sub.Prefix;
        if (value < 0)
        {
            if (subs.Count > 1)
            {
                sub = subs[1];
                prefix = sub.Prefix;
            }
            else
            {
                prefix = p.Minus + prefix;
            }
        }

        var abs = Math.Abs(value);
        if (double.IsInfinity(abs))
        {
            return prefix + p.Infinity + sub.Suffix;
        }

        if (sub.Percent)
        {
            abs *= 100;
        }
        else if (sub.PerMille)
        {
            abs *= 1000;
        }

        var minInt = sub.Integer.Count(p.IsDigitFamily);
        var maxFrac = sub.Fraction.Count(x => p.IsDigitFamily(x) || x == p.Digit);
        var minFrac = sub.Fraction.Count(p.IsDigitFamily);
        if (minInt == 0 && maxFrac == 0)
        {
            if (sub.ExponentPart is not null)
            {
                minFrac = maxFrac = 1;
            }
            else
            {
                minInt = 1;
            }
        }

        var exponent = 0;
        if (sub.ExponentPart is not null && abs != 0)
        {
            // Scale so the mantissa has exactly minInt integer digits (or is below 1 when minInt is 0).
            exponent = (int)Math.Floor(Math.Log10(abs)) + 1 - minInt;
            var m = abs / Math.Pow(10, exponent);
            var rounded = Functions.Round(m, maxFrac);
            if (rounded >= Math.Pow(10, Math.Max(minInt, 0)) && !(minInt == 0 && rounded < 1))
            {
                exponent++;
            }

            abs /= Math.Pow(10, exponent);
        }

        var r = Functions.Round(abs, maxFrac);
        var text = decimal.TryParse(r.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var dec)
            ? dec.ToString("F" + maxFrac, CultureInfo.InvariantCulture)
            : r.ToString("F" + maxFrac, CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var intDigits = dot >= 0 ? text[..dot] : text;
        var fracDigits = dot >= 0 ? text[(dot + 1)..] : "";
        intDigits = intDigits.TrimStart('0');
        if (intDigits.Length < minInt)
        {
            intDigits = new string('0', minInt - intDigits.Length) + intDigits;
        }

        // A value below one shows "0" before the separator only where the picture has an optional digit there.
        if (intDigits.Length == 0 && minInt == 0 && sub.Integer.Contains(p.Digit))
        {
            intDigits = "0";
        }

        while (fracDigits.Length > minFrac && fracDigits.EndsWith('0'))
        {
            fracDigits = fracDigits[..^1];
        }

        var sb = new StringBuilder(prefix);
        sb.Append(Group(intDigits, GroupPositions(sub.Integer, p, true), p, true));
        if (fracDigits.Length > 0)
        {
            sb.Append(p.Decimal).Append(Group(fracDigits, GroupPositions(sub.Fraction, p, false), p, false));
        }

        if (sub.ExponentPart is not null)
        {
            var minExp = sub.ExponentPart.Count(p.IsDigitFamily);
            var e = Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(minExp, '0');
            sb.Append(p.Exponent);
            if (exponent < 0)
            {
                sb.Append(p.Minus);
            }

            sb.Append(MapDigits(e, p));
        }

        sb.Append(sub.Suffix);
        return sb.ToString();
    }

    private static string MapDigits(string digits, Props p) => string.Concat(digits.Select(c => char.IsAsciiDigit(c) ? ((char)(p.Zero + (c - '0'))).ToString() : c.ToString()));

    private static (List<int> Positions, bool Regular) GroupPositions(List<string> part, Props p, bool integer)
    {
        var positions = new List<int>();
        if (integer)
        {
            var count = 0;
            for (var i = part.Count - 1; i >= 0; i--)
            {
                if (part[i] == p.Group)
                {
                    positions.Add(count);
                }
                else
                {
                    count++;
                }
            }

            var regular = positions.Count > 0 && positions.Select((g, k) => g == positions[0] * (k + 1)).All(b => b);
            return (positions, regular);
        }

        var c2 = 0;
        foreach (var s in part)
        {
            if (s == p.Group)
            {
                positions.Add(c2);
            }
            else
            {
                c2++;
            }
        }

        return (positions, false);
    }

    private static string Group(string digits, (List<int> Positions, bool Regular) g, Props p, bool integer)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < digits.Length; i++)
        {
            sb.Append(MapDigits(digits[i].ToString(), p));
            if (integer)
            {
                var after = digits.Length - i - 1;
                if (after > 0 && (g.Regular ? after % g.Positions[0] == 0 : g.Positions.Contains(after)))
                {
                    sb.Append(p.Group);
                }
            }
            else if (g.Positions.Contains(i + 1) && i + 1 < digits.Length)
            {
                sb.Append(p.Group);
            }
        }

        return sb.ToString();
    }

    private static List<string> Symbols(string pic, Props p)
    {
        var r = new List<string>();
        for (var i = 0; i < pic.Length;)
        {
            string? hit = null;
            foreach (var s in new[] { p.Percent, p.PerMille, p.Decimal, p.Group, p.Exponent, p.Digit, p.Minus }.Where(s => s.Length > 1).OrderByDescending(s => s.Length))
            {
                if (string.CompareOrdinal(pic, i, s, 0, s.Length) == 0)
                {
                    hit = s;
                    break;
                }
            }

            hit ??= pic[i].ToString();
            r.Add(hit);
            i += hit.Length;
        }

        return r;
    }

    private static Sub Analyse(string pic, Props p, int position)
    {
        var sy = Symbols(pic, p);
        bool IsMantissaActive(string s) => p.IsDigitFamily(s) || s == p.Digit || s == p.Decimal || s == p.Group;
        if (!sy.Any(s => p.IsDigitFamily(s) || s == p.Digit))
        {
            if (sy.Count(s => s == p.Decimal) > 1)
            {
                throw new JsonataException("D3081", "a sub-picture may contain at most one decimal separator", position);
            }

            if (!sy.Contains(p.Decimal))
            {
                throw new JsonataException("D3086", "a sub-picture must not have a passive character between active characters, and needs digits", position);
            }
        }

        var first = sy.FindIndex(IsMantissaActive);
        var last = first < 0 ? -1 : sy.FindLastIndex(s => IsMantissaActive(s) || s == p.Exponent);
        // The exponent separator is active only when digits follow it.
        var expAt = -1;
        for (var i = Math.Max(first, 0); i <= last && i >= 0; i++)
        {
            if (sy[i] == p.Exponent && i + 1 < sy.Count && p.IsDigitFamily(sy[i + 1]))
            {
                expAt = i;
                break;
            }
        }

        if (expAt >= 0)
        {
            last = expAt;
            while (last + 1 < sy.Count && IsMantissaActive(sy[last + 1]))
            {
                last++;
            }
        }
        else
        {
            last = first < 0 ? -1 : sy.FindLastIndex(IsMantissaActive);
        }

        var prefix = first < 0 ? string.Concat(sy) : string.Concat(sy.Take(first));
        var suffix = last < 0 ? "" : string.Concat(sy.Skip(last + 1));
        var body = first < 0 ? [] : sy.GetRange(first, last - first + 1);
        var mantissa = expAt >= 0 ? body.Take(expAt - first).ToList() : body;
        var expPart = expAt >= 0 ? body.Skip(expAt - first + 1).ToList() : null;

        if (sy.Count(s => s == p.Decimal) > 1)
        {
            throw new JsonataException("D3081", "a sub-picture may contain at most one decimal separator", position);
        }

        var percents = sy.Count(s => s == p.Percent);
        var permilles = sy.Count(s => s == p.PerMille);
        if (percents > 1)
        {
            throw new JsonataException("D3082", "a sub-picture may contain at most one percent sign", position);
        }

        if (permilles > 1)
        {
            throw new JsonataException("D3083", "a sub-picture may contain at most one per-mille sign", position);
        }

        if (percents > 0 && permilles > 0)
        {
            throw new JsonataException("D3084", "a sub-picture may not contain both a percent and a per-mille sign", position);
        }

        if (!mantissa.Any(s => p.IsDigitFamily(s) || s == p.Digit))
        {
            throw new JsonataException("D3085", "the mantissa of a sub-picture must contain at least one digit", position);
        }

        if (body.Any(s => !p.IsActive(s)))
        {
            throw new JsonataException("D3086", "a sub-picture must not have a passive character between active characters", position);
        }

        var decAt = mantissa.IndexOf(p.Decimal);
        var integer = decAt >= 0 ? mantissa.Take(decAt).ToList() : mantissa;
        var fraction = decAt >= 0 ? mantissa.Skip(decAt + 1).ToList() : [];
        if (decAt >= 0 && ((decAt > 0 && mantissa[decAt - 1] == p.Group) || (decAt + 1 < mantissa.Count && mantissa[decAt + 1] == p.Group)))
        {
            throw new JsonataException("D3087", "a grouping separator must not be next to the decimal separator", position);
        }

        if (integer.Count > 0 && integer[^1] == p.Group && decAt < 0)
        {
            throw new JsonataException("D3088", "the integer part must not end with a grouping separator", position);
        }

        for (var i = 0; i + 1 < mantissa.Count; i++)
        {
            if (mantissa[i] == p.Group && mantissa[i + 1] == p.Group)
            {
                throw new JsonataException("D3089", "a sub-picture must not have two adjacent grouping separators", position);
            }
        }

        var seenMandatory = false;
        foreach (var s in integer)
        {
            if (p.IsDigitFamily(s))
            {
                seenMandatory = true;
            }
            else if (s == p.Digit && seenMandatory)
            {
                throw new JsonataException("D3090", "in the integer part an optional digit (#) must not follow a mandatory digit", position);
            }
        }

        var seenOptional = false;
        foreach (var s in fraction)
        {
            if (s == p.Digit)
            {
                seenOptional = true;
            }
            else if (p.IsDigitFamily(s) && seenOptional)
            {
                throw new JsonataException("D3091", "in the fractional part a mandatory digit must not follow an optional digit (#)", position);
            }
        }

        if (expPart is not null && (percents > 0 || permilles > 0))
        {
            throw new JsonataException("D3092", "a sub-picture with an exponent must not have a percent or per-mille sign", position);
        }

        if (expPart is not null && expPart.Any(s => !p.IsDigitFamily(s)))
        {
            throw new JsonataException("D3093", "the exponent part of a sub-picture may only contain digits", position);
        }

        return new Sub(prefix, suffix, integer, fraction, expPart, percents > 0, permilles > 0);
    }
}
