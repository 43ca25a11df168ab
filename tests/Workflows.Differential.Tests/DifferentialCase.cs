using System.Text.Json.Nodes;

namespace Workflows.Differential.Tests;

/// <summary>One corpus file: a definition, its input, scripted task attempts and, for a known difference, our expected outcome.</summary>
public sealed record DifferentialCase(
    string Name,
    JsonNode Definition,
    JsonNode? Input,
    JsonObject? Tasks,
    string? KnownDifference,
    JsonObject? Expected)
{
    public static DifferentialCase Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path}: not a JSON object");
        var name = json["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: no name");
        if (name != Path.GetFileNameWithoutExtension(path))
        {
            throw new InvalidDataException($"{path}: name '{name}' must match the file name");
        }

        var known = json["knownDifference"]?.GetValue<string>();
        var expected = json["expected"]?.AsObject();
        if ((known is null) != (expected is null))
        {
            throw new InvalidDataException($"{path}: knownDifference and expected go together");
        }

        return new DifferentialCase(
            name,
            json["definition"] ?? throw new InvalidDataException($"{path}: no definition"),
            json["input"],
            json["tasks"]?.AsObject(),
            known,
            expected);
    }

    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(RepoPaths.Corpus, "*.json").Order(StringComparer.Ordinal);
}
