using System.Globalization;

namespace Workflows.Jsonata;

/// <summary>$fromMillis/$toMillis/$now. Without a picture: ISO 8601 in UTC with milliseconds.</summary>
internal static class DateTimeFormat
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

    public static object? ToMillis(string s, string? picture, int position)
    {
        if (picture is not null)
        {
            return DatePicture.Parse(s, picture, position);
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            && char.IsAsciiDigit(s[0]))
        {
            return (double)t.ToUnixTimeMilliseconds();
        }

        throw new JsonataException("D3110", $"the timestamp \"{s}\" is not in ISO 8601 format", position, s);
    }
}
