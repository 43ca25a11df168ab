namespace Workflows.Jsonata;

internal static class DateParse
{
    public static object? Parse(string s, string picture, int position) => throw new JsonataException("D3130", "date picture parsing is not supported yet", position);
}
