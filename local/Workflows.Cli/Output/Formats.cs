using System.Globalization;

namespace Workflows.Cli.Output;

internal static class Formats
{
    public static string Timestamp(DateTimeOffset t) => Engine.Paths.JsonValues.FormatTimestamp(t);

    /// <summary>"365d 00:00:00.000" for long virtual waits, "00:00:05.000" otherwise.</summary>
    public static string Duration(TimeSpan d) =>
        d.Days > 0
            ? d.ToString(@"d\d\ hh\:mm\:ss\.fff", CultureInfo.InvariantCulture)
            : d.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);

    public static string Seconds(TimeSpan d) => d.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>Keeps table cells on one line: newlines flattened, long values cut with an ellipsis.</summary>
    public static string Short(string? text, int max = 80)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }
}
