using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflows.Jsonata;

/// <summary>
/// $toMillis with a picture: the picture becomes a regular expression, each marker a group read with its
/// presentation (digits, ordinals, roman, letters, words, names). Components above the first given one come from
/// the evaluation's clock; a gap between given components (e.g. year and day without month) is D3136.
/// </summary>
internal static class DateParse
{
    private static readonly string[] Months = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    public static object? Parse(string s, string picture, DateTimeOffset now, int position)
    {
        var parts = DatePicture.Split(picture, position);
        var rx = new StringBuilder("^");
        var markers = new List<DatePicture.Marker>();
        foreach (var part in parts)
        {
            if (part is string lit)
            {
                rx.Append(Regex.Escape(lit));
                continue;
            }

            var mk = (DatePicture.Marker)part;
            if (!"YMDdFWXwxHhPmsfZzCE".Contains(mk.Component, StringComparison.Ordinal))
            {
                throw new JsonataException("D3132", $"unknown component '{mk.Component}' in a date picture", position);
            }

            if (mk.Presentation is "N" or "n" or "Nn" && mk.Component is not ('M' or 'F' or 'P' or 'x' or 'C' or 'E'))
            {
                throw new JsonataException("D3133", $"the component '{mk.Component}' cannot be presented as a name", position);
            }

            markers.Add(mk);
            rx.Append('(').Append(PatternFor(mk)).Append(')');
        }

        if (markers.Count == 0)
        {
            return null;
        }

        rx.Append('$');
        var present = new HashSet<char>(markers.Select(m => m.Component));
        if (present.Contains('X') || present.Contains('W') || present.Contains('w') || present.Contains('x'))
        {
            throw new JsonataException("D3136", "dates given by ISO week (X, W, w, x) cannot be read back", position);
        }

        var order = present.Contains('d') ? "YdHmsf" : "YMDHmsf";
        var first = order.IndexOfAny(present.ToArray());
        var last = order.LastIndexOfAny(present.ToArray());
        for (var i = first; i <= last && first >= 0; i++)
        {
            if (!present.Contains(order[i]) && !(order[i] == 'H' && present.Contains('h')))
            {
                throw new JsonataException("D3136", $"the date/time picture gives components around '{order[i]}' but not '{order[i]}' itself", position);
            }
        }

        var m = Regex.Match(s, rx.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        if (!m.Success)
        {
            return null;
        }

        var values = new Dictionary<char, double>();
        var offset = TimeSpan.Zero;
        var pm = (bool?)null;
        for (var i = 0; i < markers.Count; i++)
        {
            var mk = markers[i];
            var text = m.Groups[i + 1].Value;
            switch (mk.Component)
            {
                case 'Z':
                case 'z':
                    offset = ParseOffset(text);
                    break;
                case 'P':
                    pm = text.StartsWith('p') || text.StartsWith('P');
                    break;
                case 'F':
                case 'C':
                case 'E':
                    break;
                case 'M' when mk.Presentation is "N" or "n" or "Nn":
                    {
                        var lower = text.ToLowerInvariant();
                        var idx = Array.FindIndex(Months, n => n.StartsWith(lower, StringComparison.Ordinal) || lower.StartsWith(n, StringComparison.Ordinal));
                        values['M'] = idx + 1;
                        break;
                    }

                case 'f':
                    values['f'] = Math.Floor(double.Parse("0." + text, CultureInfo.InvariantCulture) * 1000);
                    break;
                default:
                    {
                        var pres = mk.Presentation;
                        if (pres.Any(char.IsDigit) || pres.Contains('#', StringComparison.Ordinal))
                        {
                            values[mk.Component] = (double)IntegerFormat.Parse(text, "0", position)!;
                        }
                        else
                        {
                            values[mk.Component] = (double)IntegerFormat.Parse(text, pres, position)!;
                        }

                        break;
                    }
            }
        }

        if (values.TryGetValue('h', out var h12))
        {
            var h = h12 % 12;
            values['H'] = pm == true ? h + 12 : h;
        }

        // Components above the first given one come from "now"; those below it start at their minimum.
        var started = false;
        double Get(char c, double fromNow, double minimum)
        {
            if (values.TryGetValue(c, out var v))
            {
                started = true;
                return v;
            }

            return started ? minimum : fromNow;
        }

        var today = now.UtcDateTime;
        var year = (int)Get('Y', today.Year, 0);
        DateTime date;
        if (present.Contains('d'))
        {
            var doy = (int)Get('d', today.DayOfYear, 1);
            date = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(doy - 1);
        }
        else
        {
            var month = (int)Get('M', today.Month, 1);
            var day = (int)Get('D', today.Day, 1);
            date = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(day - 1);
        }

        var hour = Get('H', today.Hour, 0);
        var minute = Get('m', today.Minute, 0);
        var second = Get('s', today.Second, 0);
        var milli = Get('f', today.Millisecond, 0);
        var ms = new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeMilliseconds() + (long)(((hour * 3600) + (minute * 60) + second) * 1000) + (long)milli;
        return (double)(ms - (long)offset.TotalMilliseconds);
    }

    private static TimeSpan ParseOffset(string text)
    {
        var t = text.StartsWith("GMT", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        if (t is "Z" or "z" or "")
        {
            return TimeSpan.Zero;
        }

        var sign = t[0] == '-' ? -1 : 1;
        var body = t[1..];
        int hours, minutes = 0;
        if (body.Contains(':', StringComparison.Ordinal))
        {
            var bits = body.Split(':');
            hours = int.Parse(bits[0], CultureInfo.InvariantCulture);
            minutes = int.Parse(bits[1], CultureInfo.InvariantCulture);
        }
        else if (body.Length > 2)
        {
            hours = int.Parse(body[..^2], CultureInfo.InvariantCulture);
            minutes = int.Parse(body[^2..], CultureInfo.InvariantCulture);
        }
        else
        {
            hours = int.Parse(body, CultureInfo.InvariantCulture);
        }

        return TimeSpan.FromMinutes(sign * ((hours * 60) + minutes));
    }

    private static string PatternFor(DatePicture.Marker mk)
    {
        var pres = mk.Presentation;
        switch (mk.Component)
        {
            case 'P':
                return "[ap]m";
            case 'Z':
                return @"Z|[+-]\d{1,2}(?::?\d{2})?";
            case 'z':
                return @"GMT[+-]\d{1,2}(?::?\d{2})?";
            case 'f':
                return @"\d+";
        }

        if (pres is "N" or "n" or "Nn")
        {
            return "[a-z]+";
        }

        if (pres.Any(char.IsDigit) || pres.Contains('#', StringComparison.Ordinal))
        {
            var mandatory = pres.Count(char.IsDigit);
            var digits = mandatory >= 2 && !pres.Contains('#', StringComparison.Ordinal) ? $@"\d{{{mandatory}}}" : mk.MaxWidth is { } max ? $@"\d{{1,{max}}}" : @"\d+";
            return mk.Modifier == "o" ? digits + "(?:st|nd|rd|th)" : digits;
        }

        return pres switch
        {
            "I" or "i" => "[ivxlcdm]+",
            "A" or "a" => "[a-z]+",
            _ => @"[a-z][a-z \-,]*?",
        };
    }
}
