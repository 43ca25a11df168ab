using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Workflows.Templates;

/// <summary>A Lambda function declared in a SAM template.</summary>
public sealed record SamFunction(string LogicalId, string Handler, string? CodeUri, string? FunctionName);

/// <summary>A state machine declared in a SAM template, with its raw DefinitionSubstitutions.</summary>
public sealed record SamStateMachine(string LogicalId, string? DefinitionUri, JsonObject? Definition, IReadOnlyDictionary<string, YamlNode> Substitutions);

/// <summary>
/// The parts of a SAM template.yaml that binding needs. The YAML representation model keeps CloudFormation's
/// short-form tags (!GetAtt, !Ref, !Sub) on each node, so intrinsics are read without a custom deserializer.
/// </summary>
public sealed class SamTemplate
{
    private SamTemplate(
        string? directory,
        IReadOnlyDictionary<string, string?> parameters,
        IReadOnlyDictionary<string, (string Type, YamlMappingNode? Properties)> resources,
        IReadOnlyDictionary<string, SamFunction> functions,
        IReadOnlyDictionary<string, SamStateMachine> stateMachines)
    {
        Directory = directory;
        Parameters = parameters;
        Resources = resources;
        Functions = functions;
        StateMachines = stateMachines;
    }

    /// <summary>The folder of the template file: DefinitionUri and CodeUri are relative to it.</summary>
    public string? Directory { get; }

    /// <summary>Template parameters and their Default values.</summary>
    public IReadOnlyDictionary<string, string?> Parameters { get; }

    public IReadOnlyDictionary<string, (string Type, YamlMappingNode? Properties)> Resources { get; }

    public IReadOnlyDictionary<string, SamFunction> Functions { get; }

    public IReadOnlyDictionary<string, SamStateMachine> StateMachines { get; }

    public static SamTemplate Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <exception cref="FormatException">Not a YAML mapping, or a function without a Handler.</exception>
    public static SamTemplate Parse(string yaml, string? directory = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"template: invalid YAML: {e.Message}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("template: the document must be a YAML mapping");
        }

        var parameters = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (Child(root, "Parameters") is YamlMappingNode ps)
        {
            foreach (var (key, value) in ps.Children)
            {
                parameters[Scalar(key)!] = value is YamlMappingNode p ? Scalar(Child(p, "Default")) : null;
            }
        }

        var globals = Child(Child(root, "Globals") as YamlMappingNode, "Function") as YamlMappingNode;
        var resources = new Dictionary<string, (string, YamlMappingNode?)>(StringComparer.Ordinal);
        var functions = new Dictionary<string, SamFunction>(StringComparer.Ordinal);
        var machines = new Dictionary<string, SamStateMachine>(StringComparer.Ordinal);
        if (Child(root, "Resources") is YamlMappingNode rs)
        {
            foreach (var (key, value) in rs.Children)
            {
                var id = Scalar(key)!;
                var body = value as YamlMappingNode;
                var type = Scalar(Child(body, "Type")) ?? string.Empty;
                var props = Child(body, "Properties") as YamlMappingNode;
                resources[id] = (type, props);
                if (type == "AWS::Serverless::Function")
                {
                    var handler = Scalar(Child(props, "Handler")) ?? Scalar(Child(globals, "Handler"))
                        ?? throw new FormatException($"template: function {id} has no Handler");
                    functions[id] = new SamFunction(id, handler, Scalar(Child(props, "CodeUri")) ?? Scalar(Child(globals, "CodeUri")), Scalar(Child(props, "FunctionName")));
                }
                else if (type == "AWS::Serverless::StateMachine")
                {
                    var subs = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
                    if (Child(props, "DefinitionSubstitutions") is YamlMappingNode sm)
                    {
                        foreach (var (k, v) in sm.Children)
                        {
                            subs[Scalar(k)!] = v;
                        }
                    }

                    var inline = Child(props, "Definition") is { } d ? ToJson(d) as JsonObject : null;
                    machines[id] = new SamStateMachine(id, Scalar(Child(props, "DefinitionUri")), inline, subs);
                }
            }
        }

        return new SamTemplate(directory, parameters, resources, functions, machines);
    }

    internal static YamlNode? Child(YamlMappingNode? map, string key)
    {
        if (map is null)
        {
            return null;
        }

        return map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;
    }

    /// <summary>A plain scalar's text; tagged scalars (!Sub "...") count too, as their literal text.</summary>
    internal static string? Scalar(YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    internal static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(Scalar(kv.Key)!, ToJson(kv.Value)))),
        YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
        YamlScalarNode sc => ScalarToJson(sc),
        _ => null,
    };

    private static JsonValue? ScalarToJson(YamlScalarNode s)
    {
        if (s.Style is YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted)
        {
            return JsonValue.Create(s.Value);
        }

        return s.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" => null,
            _ when decimal.TryParse(s.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(s.Value),
        };
    }
}
