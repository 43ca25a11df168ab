namespace Workflows.Jsonata;

internal static class NumberFormat
{
    public static string Format(double d, string picture, JObject? options, int position) => throw new JsonataException("D3080", "picture strings of $formatNumber are not supported yet", position);
}

internal static class DatePicture
{
    public static string Format(DateTimeOffset t, string? picture, string? timezone, int position) => throw new JsonataException("D3130", "date picture strings are not supported yet", position);

    public static object? Parse(string s, string picture, int position) => throw new JsonataException("D3130", "date picture strings are not supported yet", position);
}
