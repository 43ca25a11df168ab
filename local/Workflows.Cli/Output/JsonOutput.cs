using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Cli.Output;

/// <summary>What every --json prints: one value on one line, so `| jq` and line-based tools both work.</summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static void Write(TextWriter output, JsonNode value) => output.WriteLine(value.ToJsonString(Compact));
}
