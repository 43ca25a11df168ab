namespace Workflows.Cli.Output;

/// <summary>What a command prints its result as (--output).</summary>
internal enum OutputFormat
{
    /// <summary>For people: fields and tables, vertical blocks when a table does not fit the terminal.</summary>
    Table,

    /// <summary>For programs: one JSON document on stdout, camelCase members, nothing else on stdout.</summary>
    Json,

    /// <summary>For shell scripts: tab-separated lines, each starting with its kind (see <see cref="TextOutput"/>).</summary>
    Text,
}

/// <summary>
/// "Text" lines: fields separated by one tab, the first field naming what the line is (execution, cluster, tag, ...),
/// so `awk -F'\t' '$1 == "cluster"'` or `while IFS=$'\t' read -r kind ...` take what they need. An absent value is
/// "-" (never an empty field: `read` with a tab IFS would merge two tabs and shift the columns), and a tab or line
/// break inside a value becomes a space, so one record is always one line. No colours, no headers, no padding.
/// </summary>
internal static class TextOutput
{
    public const string Absent = "-";

    public static void Line(TextWriter output, params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(string.Join('\t', fields.Select(Field)));
    }

    public static string Bool(bool value) => value ? "true" : "false";

    private static string Field(string? value) =>
        string.IsNullOrEmpty(value) ? Absent : value.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
