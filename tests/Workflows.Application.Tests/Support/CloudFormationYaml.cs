using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workflows.Application.Tests.Support;

/// <summary>
/// Reads a CloudFormation/SAM YAML template as the JSON CloudFormation itself would see: the short-form intrinsic
/// tags become their long forms (<c>!Ref X</c> → <c>{"Ref": "X"}</c>, <c>!GetAtt A.B</c> → <c>{"Fn::GetAtt": ["A", "B"]}</c>,
/// <c>!Sub s</c> → <c>{"Fn::Sub": s}</c>, any other <c>!Name</c> → <c>{"Fn::Name": ...}</c>), and plain scalars take
/// their YAML types (numbers, booleans, null) while quoted ones stay strings.
/// </summary>
internal static class CloudFormationYaml
{
    public static JsonObject Load(string path)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        return ToJson(stream.Documents[0].RootNode) as JsonObject
            ?? throw new FormatException($"{path}: the document is not a mapping");
    }

    public static JsonNode? ToJson(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => Mapping(map),
            YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new FormatException($"unsupported YAML node at {node.Start}"),
        };
        return node.Tag.IsEmpty ? value : Intrinsic(node, value);
    }

    private static JsonObject Mapping(YamlMappingNode map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            o.Add(((YamlScalarNode)key).Value!, ToJson(value));
        }

        return o;
    }

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var text = s.Value ?? string.Empty;
        if (s.Style != ScalarStyle.Plain || !s.Tag.IsEmpty)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            "null" or "Null" or "NULL" or "~" or "" => null,
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(text),
        };
    }

    private static JsonObject Intrinsic(YamlNode node, JsonNode? value)
    {
        var name = node.Tag.Value.TrimStart('!');
        return name switch
        {
            "Ref" => new JsonObject { ["Ref"] = value },
            "Condition" => new JsonObject { ["Condition"] = value },
            "GetAtt" when value is JsonValue v && v.TryGetValue<string>(out var text) && text.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 =>
                new JsonObject { ["Fn::GetAtt"] = new JsonArray(text[..dot], text[(dot + 1)..]) },
            _ => new JsonObject { ["Fn::" + name] = value },
        };
    }
}
