using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Workflows.Templates;

/// <summary>The identity-based policies SAM would attach to one resource's execution role, as JSON documents.</summary>
public sealed record TemplateRole(string LogicalId, IReadOnlyList<string> Policies);

/// <summary>
/// SAM's policy templates (policy_templates.json of aws/serverless-application-model): each a Definition with a
/// Statement list whose values use Fn::Sub and Ref to the template's own Parameters.
/// </summary>
public sealed class PolicyTemplates
{
    private readonly JsonObject _templates;

    private PolicyTemplates(JsonObject templates) => _templates = templates;

    /// <exception cref="FormatException">Not the policy_templates.json shape.</exception>
    public static PolicyTemplates Load(string path) => Parse(File.ReadAllText(path), path);

    public static PolicyTemplates Parse(string json, string source = "policy_templates.json")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not valid JSON: {e.Message}", e);
        }

        return root?["Templates"] is JsonObject templates
            ? new PolicyTemplates(templates)
            : throw new FormatException($"{source}: has no \"Templates\" object");
    }

    public bool Contains(string name) => _templates.ContainsKey(name);

    internal JsonObject? Find(string name) => _templates[name] as JsonObject;
}

/// <summary>
/// Turns the <c>Policies</c> of each AWS::Serverless::Function and AWS::Serverless::StateMachine into the policy
/// documents its role gets, the way SAM's transform does: an inline document stays as written, a SAM policy template
/// (<c>- LambdaInvokePolicy: {FunctionName: ...}</c>) is expanded from policy_templates.json with its parameters, and
/// the intrinsics (!Sub, !Ref, !GetAtt, ${AWS::Region}, ${AWS::AccountId}, ${AWS::Partition}) are resolved with the
/// same local names <see cref="TemplateBinder"/> gives resources. A managed policy (a name or ARN string) cannot be
/// expanded without AWS and is refused by name.
/// </summary>
public static partial class TemplateRoles
{
    public const string PolicyVersion = "2012-10-17";

    /// <exception cref="FormatException">A Policies entry cannot be expanded; the message names the resource and the entry.</exception>
    public static IReadOnlyDictionary<string, TemplateRole> Read(SamTemplate template, string region, string account, PolicyTemplates? policyTemplates)
    {
        ArgumentNullException.ThrowIfNull(template);
        var resolver = new TemplateBinder.Resolver(template, region, account);
        var roles = new Dictionary<string, TemplateRole>(StringComparer.Ordinal);
        foreach (var (id, (type, properties)) in template.Resources)
        {
            if (type is not ("AWS::Serverless::Function" or "AWS::Serverless::StateMachine"))
            {
                continue;
            }

            var policies = new List<string>();
            var entries = SamTemplate.Child(properties, "Policies") switch
            {
                null => [],
                YamlSequenceNode seq => seq.Children.ToList(),
                var single => [single],
            };
            for (var i = 0; i < entries.Count; i++)
            {
                var where = $"template: {id}.Policies[{i}]";
                policies.Add(Expand(entries[i], where, resolver, region, account, policyTemplates).ToJsonString());
            }

            roles[id] = new TemplateRole(id, policies);
        }

        return roles;
    }

    private static JsonObject Expand(YamlNode entry, string where, TemplateBinder.Resolver resolver, string region, string account, PolicyTemplates? policyTemplates)
    {
        if (entry is YamlScalarNode scalar)
        {
            throw new FormatException($"{where}: '{scalar.Value}' is a managed policy; its document is not in the template, so it cannot be evaluated locally (write the statements inline).");
        }

        if (entry is not YamlMappingNode map)
        {
            throw new FormatException($"{where}: a policy entry is an inline document, a SAM policy template or a managed policy name.");
        }

        if (SamTemplate.Child(map, "Statement") is not null)
        {
            var document = ToJson(map, resolver, where) as JsonObject ?? throw new FormatException($"{where}: not a policy document");
            document["Version"] ??= PolicyVersion;
            return document;
        }

        if (map.Children.Count != 1)
        {
            throw new FormatException($"{where}: a SAM policy template entry has exactly one key (the template's name), not {map.Children.Count}.");
        }

        var (key, value) = map.Children.First();
        var name = SamTemplate.Scalar(key)!;
        if (policyTemplates is null)
        {
            throw new FormatException($"{where}: '{name}' is a SAM policy template and no policy_templates.json was given to expand it.");
        }

        var definition = policyTemplates.Find(name)?["Definition"] as JsonObject
            ?? throw new FormatException($"{where}: '{name}' is not a SAM policy template (policy_templates.json has no such entry).");
        var declared = (policyTemplates.Find(name)?["Parameters"] as JsonObject)?.Select(p => p.Key).ToList() ?? [];
        var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is YamlMappingNode given)
        {
            foreach (var (k, v) in given.Children)
            {
                var parameter = SamTemplate.Scalar(k)!;
                if (!declared.Contains(parameter, StringComparer.Ordinal))
                {
                    throw new FormatException($"{where}: {name} has no parameter '{parameter}' (it takes {(declared.Count == 0 ? "none" : string.Join(", ", declared))}).");
                }

                arguments[parameter] = resolver.Resolve(v);
            }
        }

        foreach (var parameter in declared.Where(p => !arguments.ContainsKey(p)))
        {
            throw new FormatException($"{where}: {name} needs its parameter '{parameter}'.");
        }

        var expanded = Substitute(definition.DeepClone(), arguments, region, account, $"{where} ({name})") as JsonObject
            ?? throw new FormatException($"{where}: {name} has no Definition object");
        expanded["Version"] ??= PolicyVersion;
        return expanded;
    }

    /// <summary>YAML to JSON with every intrinsic resolved to its local string; plain scalars stay strings (IAM compares text).</summary>
    private static JsonNode ToJson(YamlNode node, TemplateBinder.Resolver resolver, string where)
    {
        if (!node.Tag.IsEmpty)
        {
            return JsonValue.Create(resolver.Resolve(node));
        }

        switch (node)
        {
            case YamlMappingNode m when m.Children.Count == 1 && SamTemplate.Scalar(m.Children.First().Key) is "Ref" or "Fn::Sub" or "Fn::GetAtt":
                return JsonValue.Create(resolver.Resolve(node));
            case YamlMappingNode m:
                var obj = new JsonObject();
                foreach (var (k, v) in m.Children)
                {
                    obj[SamTemplate.Scalar(k)!] = ToJson(v, resolver, where);
                }

                return obj;
            case YamlSequenceNode s:
                return new JsonArray(s.Children.Select(c => (JsonNode?)ToJson(c, resolver, where)).ToArray());
            case YamlScalarNode sc:
                return JsonValue.Create(sc.Value ?? string.Empty);
            default:
                throw new FormatException($"{where}: cannot read the node at {node.Start}");
        }
    }

    /// <summary>Resolves a policy template's Fn::Sub and Ref against its arguments and the pseudo parameters.</summary>
    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, string> arguments, string region, string account, string where)
    {
        string Ref(string name) => PseudoParameters.Resolve(name, region, account) switch
        {
            { } pseudo => pseudo,
            _ when arguments.TryGetValue(name, out var v) => v,
            _ => throw new FormatException($"{where}: Ref to '{name}', which is neither a parameter of the template nor a pseudo parameter."),
        };

        switch (node)
        {
            case JsonObject o when o.Count == 1 && o.ContainsKey("Ref"):
                return JsonValue.Create(Ref(o["Ref"]!.GetValue<string>()));
            case JsonObject o when o.Count == 1 && o.ContainsKey("Fn::Sub"):
                var sub = o["Fn::Sub"];
                string text;
                var variables = new Dictionary<string, string>(StringComparer.Ordinal);
                if (sub is JsonArray { Count: 2 } pair)
                {
                    text = pair[0]!.GetValue<string>();
                    foreach (var (k, v) in pair[1] as JsonObject ?? [])
                    {
                        variables[k] = Substitute(v?.DeepClone(), arguments, region, account, where)!.GetValue<string>();
                    }
                }
                else
                {
                    text = sub!.GetValue<string>();
                }

                return JsonValue.Create(Placeholder().Replace(text, m =>
                {
                    var expr = m.Groups[1].Value;
                    return variables.TryGetValue(expr, out var v) ? v : expr.StartsWith('!') ? "${" + expr[1..] + "}" : Ref(expr);
                }));
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    copy[k] = Substitute(v?.DeepClone(), arguments, region, account, where);
                }

                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(v => Substitute(v?.DeepClone(), arguments, region, account, where)).ToArray());
            default:
                return node?.DeepClone();
        }
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>Every action (service:Action) an Allow statement of the documents names, for summaries and tests.</summary>
    public static IReadOnlyList<string> AllowedActions(TemplateRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var actions = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var document in role.Policies)
        {
            var statements = JsonNode.Parse(document)?["Statement"] switch
            {
                JsonArray array => array.ToList(),
                JsonObject one => [one],
                _ => [],
            };
            foreach (var statement in statements.OfType<JsonObject>().Where(s => s["Effect"]?.GetValue<string>() == "Allow"))
            {
                switch (statement["Action"])
                {
                    case JsonValue v:
                        actions.Add(v.GetValue<string>());
                        break;
                    case JsonArray list:
                        foreach (var a in list)
                        {
                            actions.Add(a!.GetValue<string>());
                        }

                        break;
                }
            }
        }

        return [.. actions];
    }
}
