namespace Workflows.Jsonata;

internal static class NumberFormat
{
    public static string Format(double d, string picture, JObject? options, int position) => throw new JsonataException("D3080", "picture strings of $formatNumber are not supported yet", position);
}


internal static class DateParse
{
    public static object? Parse(string s, string picture, int position) => throw new JsonataException("D3130", "date picture parsing is not supported yet", position);
}
