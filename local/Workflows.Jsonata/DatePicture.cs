using System.Globalization;
using System.Text;

namespace Workflows.Jsonata;

/// <summary>
/// Date/time picture strings of $fromMillis/$now/$toMillis, after XPath fn:format-dateTime as the JSONata docs
/// describe: [Y] year, [M] month, [D] day, [d] day of year, [F] weekday, [W] ISO week, [X] ISO week year,
/// [w] week of month, [x] its month, [H] [h] hours, [P] am/pm, [m] [s] [f], [Z] [z] offset, [C] [E] calendar/era.
/// </summary>
internal static class DatePicture
{
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] Days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    internal sealed record Marker(char Component, string Presentation, bool ExplicitPresentation, string Modifier, int? MinWidth, int? MaxWidth);

    /// <summary>Splits a picture into literal strings and markers.</summary>
    internal static List<object> Split(string picture, int position)
    {
        var parts = new List<object>();
        var lit = new StringBuilder();
        for (var i = 0; i < picture.Length; i++)
        {
            var ch = picture[i];
            if (ch == '[' && i + 1 < picture.Length && picture[i + 1] == '[')
            {
                lit.Append('[');
                i++;
                continue;
            }

            if (ch == ']' && i + 1 < picture.Length && picture[i + 1] == ']')
            {
                lit.Append(']');
                i++;
                continue;
            }

            if (ch != '[')
            {
                lit.Append(ch);
                continue;
            }

            var end = picture.IndexOf(']', i + 1);
            if (end < 0)
            {
                throw new JsonataException("D3135", "a [ of the picture string has no closing ]", position);
            }

            if (lit.Length > 0)
            {
                parts.Add(lit.ToString());
                lit.Clear();
            }

            var body = new string(picture[(i + 1)..end].Where(c => !char.IsWhiteSpace(c)).ToArray());
            parts.Add(ParseMarker(body, position));
            i = end;
        }

        if (lit.Length > 0)
        {
            parts.Add(lit.ToString());
        }

        return parts;
    }

    private static Marker ParseMarker(string body, int position)
    {
        if (body.Length == 0)
        {
            throw new JsonataException("D3135", "an empty [] marker in the picture string", position);
        }

        var comp = body[0];
        var rest = body[1..];
        int? min = null, max = null;
        var comma = rest.LastIndexOf(',');
        if (comma >= 0)
        {
            var width = rest[(comma + 1)..];
            rest = rest[..comma];
            var dash = width.IndexOf('-', StringComparison.Ordinal);
            var minText = dash >= 0 ? width[..dash] : width;
            var maxText = dash >= 0 ? width[(dash + 1)..] : "";
            if (minText.Length > 0 && minText != "*")
            {
                min = int.Parse(minText, CultureInfo.InvariantCulture);
            }

            if (maxText.Length > 0 && maxText != "*")
            {
                max = int.Parse(maxText, CultureInfo.InvariantCulture);
            }
        }

        var modifier = "";
        if (rest.Length > 1 && rest[^1] is 'o' or 't' or 'c' && !(rest is "Nn" or "n" or "N"))
        {
            var last = rest[^1];
            var stem = rest[..^1];
            if (stem.Length > 0 && (char.IsDigit(stem[^1]) || stem is "w" or "W" or "Ww" or "#"))
            {
                modifier = last.ToString();
                rest = stem;
            }
        }

        var explicitPresentation = rest.Length > 0;
        if (rest.Length == 0)
        {
            rest = comp switch
            {
                'F' or 'P' or 'C' or 'E' => "n",
                'm' or 's' => "01",
                'Z' or 'z' => "01:01",
                _ => "1",
            };
        }

        return new Marker(comp, rest, explicitPresentation, modifier, min, max);
    }

    private static TimeSpan ParseOffset(string? tz, int position)
    {
        if (string.IsNullOrEmpty(tz))
        {
            return TimeSpan.Zero;
        }

        var sign = tz[0] == '-' ? -1 : 1;
        var digits = tz.TrimStart('+', '-');
        if (digits.Length != 4 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            throw new JsonataException("D3134", $"the timezone \"{tz}\" must have the form ±HHMM", position);
        }

        return TimeSpan.FromMinutes(sign * (((n / 100) * 60) + (n % 100)));
    }

    public static string Format(DateTimeOffset t, string? picture, string? timezone, int position)
    {
        var offset = ParseOffset(timezone, position);
        var local = t.ToOffset(offset);
        if (picture is null)
        {
            var iso = local.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);
            return iso + (offset == TimeSpan.Zero ? "Z" : FormatOffset(offset, "01:01", false));
        }

        var sb = new StringBuilder();
        foreach (var part in Split(picture, position))
        {
            if (part is string s)
            {
                sb.Append(s);
                continue;
            }

            sb.Append(FormatMarker((Marker)part, local, offset, position));
        }

        return sb.ToString();
    }

    private static string FormatOffset(TimeSpan offset, string pres, bool zIfZero)
    {
        if (zIfZero && offset == TimeSpan.Zero)
        {
            return "Z";
        }

        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        int h = abs.Hours, m = abs.Minutes;
        var digitsOnly = new string(pres.Where(char.IsDigit).ToArray());
        var sepIdx = pres.IndexOfAny([':', '.']);
        if (digitsOnly.Length <= 2 && sepIdx < 0)
        {
            var hh = digitsOnly.Length == 2 ? h.ToString("00", CultureInfo.InvariantCulture) : h.ToString(CultureInfo.InvariantCulture);
            return sign + hh + (m != 0 ? ":" + m.ToString("00", CultureInfo.InvariantCulture) : "");
        }

        if (sepIdx >= 0)
        {
            var hoursPart = pres[..sepIdx];
            var hh = hoursPart.Length >= 2 ? h.ToString("00", CultureInfo.InvariantCulture) : h.ToString(CultureInfo.InvariantCulture);
            return sign + hh + pres[sepIdx] + m.ToString("00", CultureInfo.InvariantCulture);
        }

        var hlen = digitsOnly.Length - 2;
        return sign + h.ToString(new string('0', hlen), CultureInfo.InvariantCulture) + m.ToString("00", CultureInfo.InvariantCulture);
    }

    private static string FormatMarker(Marker mk, DateTimeOffset d, TimeSpan offset, int position)
    {
        var isoDow = ((int)d.DayOfWeek + 6) % 7 + 1;
        switch (mk.Component)
        {
            case 'Z':
            case 'z':
                {
                    var digits = mk.Presentation.Count(char.IsDigit);
                    if (digits > 4)
                    {
                        throw new JsonataException("D3134", $"the timezone picture '{mk.Presentation}' has too many digits", position);
                    }

                    var text = FormatOffset(offset, mk.Presentation, mk.Modifier == "t");
                    return mk.Component == 'z' ? "GMT" + text : text;
                }

            case 'P':
                return Name(d.Hour < 12 ? "am" : "pm", mk);
            case 'C':
            case 'E':
                // Only the ISO calendar is supported; its name is not case-shaped.
                return "ISO";
        }

        double value;
        string[]? names = null;
        switch (mk.Component)
        {
            case 'Y': value = d.Year; break;
            case 'M': value = d.Month; names = Months; break;
            case 'D': value = d.Day; break;
            case 'd': value = d.DayOfYear; break;
            case 'F': value = isoDow; names = Days; break;
            case 'W': value = ISOWeek.GetWeekOfYear(d.DateTime); break;
            case 'X': value = ISOWeek.GetYear(d.DateTime); break;
            case 'w':
            case 'x':
                {
                    var thursday = d.Date.AddDays(4 - isoDow);
                    value = mk.Component == 'w' ? ((thursday.Day - 1) / 7) + 1 : thursday.Month;
                    names = mk.Component == 'x' ? Months : null;
                    break;
                }

            case 'H': value = d.Hour; break;
            case 'h': value = d.Hour % 12 == 0 ? 12 : d.Hour % 12; break;
            case 'm': value = d.Minute; break;
            case 's': value = d.Second; break;
            case 'f':
                {
                    var digits = Math.Max(1, mk.Presentation.Count(char.IsDigit));
                    var frac = d.Millisecond.ToString("000", CultureInfo.InvariantCulture);
                    return digits <= 3 ? frac[..digits] : frac + new string('0', digits - 3);
                }

            default:
                throw new JsonataException("D3132", $"unknown component '{mk.Component}' in a date picture", position);
        }

        if (mk.Presentation is "N" or "n" or "Nn")
        {
            if (names is null)
            {
                throw new JsonataException("D3133", $"the component '{mk.Component}' cannot be presented as a name", position);
            }

            return Name(names[(int)value - 1], mk);
        }

        var pres = mk.Presentation;
        string text2;
        if (pres.Any(char.IsDigit) || pres.Contains('#', StringComparison.Ordinal))
        {
            var pic = pres;
            if (mk.MinWidth is { } min)
            {
                var digits = pic.Count(c => char.IsDigit(c) || c == '#');
                var mandatory = pic.Count(char.IsDigit);
                if (mandatory < min)
                {
                    pic = new string('#', Math.Max(0, digits - mandatory)) + new string('0', min);
                }
            }

            text2 = IntegerFormat.Format(value, pic + (mk.Modifier == "o" ? ";o" : ""), position);
            var max = mk.MaxWidth;
            if (mk.Component == 'Y' && max is null && !mk.ExplicitPresentation && mk.MinWidth is { } mw)
            {
                max = mw;
            }

            if (mk.Component == 'Y' && max is { } mx && text2.Length > mx)
            {
                text2 = text2[^mx..];
            }
        }
        else
        {
            text2 = IntegerFormat.Format(value, pres + (mk.Modifier == "o" ? ";o" : ""), position);
        }

        return text2;
    }

    private static string Name(string name, Marker mk)
    {
        var s = mk.Presentation switch
        {
            "N" => name.ToUpperInvariant(),
            "Nn" => name,
            _ => name.ToLowerInvariant(),
        };
        if (mk.MaxWidth is { } max && s.Length > max)
        {
            s = s[..max];
        }

        return s;
    }

}
