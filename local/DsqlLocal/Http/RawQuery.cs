namespace DsqlLocal.Http;

/// <summary>
/// The query string exactly as sent, split into decoded pairs in order. Kept separate from ASP.NET Core's
/// parser because SigV4 and repeated members (tagKeys) need the raw pairs.
/// </summary>
internal sealed class RawQuery
{
    private RawQuery(IReadOnlyList<KeyValuePair<string, string>> pairs) => Pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    public static RawQuery Parse(string rawQuery)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in rawQuery.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var value = eq < 0 ? string.Empty : part[(eq + 1)..];
            pairs.Add(new(Unescape(key), Unescape(value)));
        }

        return new RawQuery(pairs);
    }

    public string? Single(string key) => Pairs.LastOrDefault(p => p.Key == key).Value;

    public IReadOnlyList<string> All(string key) => Pairs.Where(p => p.Key == key).Select(p => p.Value).ToList();

    private static string Unescape(string value)
    {
        try
        {
            return Uri.UnescapeDataString(value);
        }
        catch (UriFormatException)
        {
            return value;
        }
    }
}
