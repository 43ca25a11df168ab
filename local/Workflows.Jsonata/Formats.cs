using System.Globalization;

namespace Workflows.Jsonata;

/// <summary>$fromMillis/$toMillis/$now. Without a picture: ISO 8601 in UTC with milliseconds.</summary>
internal static partial class DateTimeFormat
{
    public static string FromMillis(long ms, string? picture, string? timezone, int position)
    {
        var t = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        if (picture is null && timezone is null)
        {
            return t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        return DatePicture.Format(t, picture, timezone, position);
    }

    public static object? ToMillis(string s, string? picture, DateTimeOffset now, int position)
    {
        if (picture is not null)
        {
            return DateParse.Parse(s, picture, now, position);
        }

        var m = IsoPattern().Match(s);
        if (m.Success)
        {
            int G(int g, int dflt) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : dflt;
            var ms = m.Groups[7].Success ? (int)Math.Floor(double.Parse("0" + m.Groups[7].Value, CultureInfo.InvariantCulture) * 1000) : 0;
            var offset = TimeSpan.Zero;
            if (m.Groups[8].Success && m.Groups[8].Value != "Z")
            {
                var z = m.Groups[8].Value.Replace(":", "", StringComparison.Ordinal);
                var mins = (int.Parse(z[1..3], CultureInfo.InvariantCulture) * 60) + int.Parse(z[3..5], CultureInfo.InvariantCulture);
                offset = TimeSpan.FromMinutes(z[0] == '-' ? -mins : mins);
            }

            var t = new DateTimeOffset(G(1, 0), G(2, 1), G(3, 1), G(4, 0), G(5, 0), G(6, 0), ms, offset);
            return (double)t.ToUnixTimeMilliseconds();
        }

        throw new JsonataException("D3110", $"the timestamp \"{s}\" is not in ISO 8601 format", position, s);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$")]
    private static partial System.Text.RegularExpressions.Regex IsoPattern();
}
