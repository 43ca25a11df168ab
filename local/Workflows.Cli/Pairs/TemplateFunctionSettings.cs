using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Workflows.Cli.Pairs;

/// <summary>
/// What template.yaml gives a function at run time, Globals.Function merged under its own Properties the way SAM
/// merges them (a function's scalar wins, Environment.Variables are merged key by key): the variables, Timeout,
/// MemorySize, LoggingConfig and the architecture. <c>!Ref</c> to a parameter takes the parameter's value (its
/// Default unless the caller overrides it).
/// </summary>
internal sealed record TemplateFunctionSettings(
    string LogicalId,
    string? CodeUri,
    IReadOnlyDictionary<string, string> Environment,
    double TimeoutSeconds,
    int MemorySizeMb,
    string LogFormat,
    string? ApplicationLogLevel,
    string? SystemLogLevel,
    string Architecture)
{
    /// <exception cref="FormatException">The template is not a mapping, or a value has the wrong shape.</exception>
    public static IReadOnlyDictionary<string, TemplateFunctionSettings> Read(string templatePath, IReadOnlyDictionary<string, string>? parameterOverrides = null)
    {
        using var reader = new StreamReader(templatePath);
        var stream = new YamlStream();
        stream.Load(reader);
        var root = stream.Documents[0].RootNode as YamlMappingNode ?? throw new FormatException($"{templatePath}: not a YAML mapping");
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Child(root, "Parameters") is YamlMappingNode declared)
        {
            foreach (var (key, value) in declared.Children)
            {
                if (Child(value, "Default") is YamlScalarNode d && d.Value is not null)
                {
                    parameters[((YamlScalarNode)key).Value!] = d.Value;
                }
            }
        }

        foreach (var (key, value) in parameterOverrides ?? new Dictionary<string, string>())
        {
            parameters[key] = value;
        }

        var globals = Child(Child(root, "Globals"), "Function") as YamlMappingNode;
        var result = new Dictionary<string, TemplateFunctionSettings>(StringComparer.Ordinal);
        if (Child(root, "Resources") is not YamlMappingNode resources)
        {
            return result;
        }

        foreach (var (key, resource) in resources.Children)
        {
            if (Scalar(Child(resource, "Type"), parameters) != "AWS::Serverless::Function" || Child(resource, "Properties") is not YamlMappingNode props)
            {
                continue;
            }

            var id = ((YamlScalarNode)key).Value!;
            string? Value(params string[] path) => Scalar(Path(props, path), parameters) ?? Scalar(Path(globals, path), parameters);
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var source in new[] { Path(globals, "Environment", "Variables"), Path(props, "Environment", "Variables") })
            {
                if (source is YamlMappingNode variables)
                {
                    foreach (var (name, value) in variables.Children)
                    {
                        environment[((YamlScalarNode)name).Value!] = Scalar(value, parameters) ?? string.Empty;
                    }
                }
            }

            var architectures = Path(props, "Architectures") as YamlSequenceNode ?? Path(globals, "Architectures") as YamlSequenceNode;
            result[id] = new TemplateFunctionSettings(
                id,
                Value("CodeUri"),
                environment,
                Number(Value("Timeout"), id, "Timeout") ?? 3,
                (int)(Number(Value("MemorySize"), id, "MemorySize") ?? 128),
                Value("LoggingConfig", "LogFormat") ?? "Text",
                Value("LoggingConfig", "ApplicationLogLevel"),
                Value("LoggingConfig", "SystemLogLevel"),
                architectures?.Children.FirstOrDefault() is YamlScalarNode a ? a.Value ?? "x86_64" : "x86_64");
        }

        return result;
    }

    private static double? Number(string? text, string id, string property) =>
        text is null ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
        : throw new FormatException($"template: {id}.{property} '{text}' is not a number");

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static YamlNode? Path(YamlNode? node, params string[] keys) => keys.Aggregate(node, Child);

    /// <summary>A plain scalar, or a <c>!Ref</c> to a parameter; anything else (other intrinsics) is not a local value.</summary>
    private static string? Scalar(YamlNode? node, Dictionary<string, string> parameters)
    {
        if (node is not YamlScalarNode scalar)
        {
            return null;
        }

        if (!scalar.Tag.IsEmpty && scalar.Tag.Value == "!Ref")
        {
            return scalar.Value is { } name && parameters.TryGetValue(name, out var value) ? value : null;
        }

        return scalar.Tag.IsEmpty ? scalar.Value : null;
    }
}
