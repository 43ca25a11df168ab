using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;
using Workflows.Engine.Tasks;

namespace Workflows.Templates;

/// <summary>A state machine of a template, ready to run: substitutions applied, its functions registered.</summary>
public sealed record BoundStateMachine(string LogicalId, string DefinitionJson, IReadOnlyDictionary<string, string> Substitutions, IReadOnlyList<SamFunction> Functions);

/// <summary>
/// Binds a SAM state machine to local code: each DefinitionSubstitution (<c>!GetAtt Fn.Arn</c>, <c>!Ref Fn</c>,
/// <c>!Sub "${Fn.Arn}"</c>, parameters, pseudo parameters) becomes a value; every function it names is loaded by
/// reflection from its Handler string out of the probing folder and registered under its logical id, and its ARN
/// becomes the synthetic <c>arn:aws:lambda:{region}:{account}:function:{LogicalId}</c>.
/// </summary>
public static partial class TemplateBinder
{
    /// <param name="template">The parsed template.</param>
    /// <param name="stateMachineLogicalId">Which state machine to bind.</param>
    /// <param name="probingDirectory">The folder holding a function's built assembly (e.g. its bin/Release/net10.0).</param>
    /// <param name="registry">Where the functions are registered.</param>
    /// <param name="region">Region of the synthetic ARNs.</param>
    /// <param name="account">Account of the synthetic ARNs.</param>
    public static BoundStateMachine Bind(
        SamTemplate template,
        string stateMachineLogicalId,
        Func<SamFunction, string> probingDirectory,
        LambdaFunctionRegistry registry,
        string region = "us-east-1",
        string account = "123456789012")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(probingDirectory);
        ArgumentNullException.ThrowIfNull(registry);
        var bound = Substitute(template, stateMachineLogicalId, region, account);
        foreach (var fn in bound.Functions)
        {
            registry.RegisterHandler(fn.LogicalId, fn.Handler, probingDirectory(fn));
        }

        return bound;
    }

    /// <summary>
    /// Applies a state machine's DefinitionSubstitutions without loading any function: enough to run the definition
    /// with its tasks mocked (the functions' ARNs are the synthetic ones <see cref="Bind(SamTemplate, string, Func{SamFunction, string}, LambdaFunctionRegistry, string, string)"/> registers).
    /// </summary>
    public static BoundStateMachine Substitute(SamTemplate template, string stateMachineLogicalId, string region = "us-east-1", string account = "123456789012")
    {
        ArgumentNullException.ThrowIfNull(template);
        if (!template.StateMachines.TryGetValue(stateMachineLogicalId, out var machine))
        {
            throw new ArgumentException($"template has no AWS::Serverless::StateMachine '{stateMachineLogicalId}'", nameof(stateMachineLogicalId));
        }

        var resolver = new Resolver(template, region, account);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in machine.Substitutions)
        {
            values[key] = resolver.Resolve(node);
        }

        var functions = resolver.ReferencedFunctions.Select(id => template.Functions[id]).ToList();
        var definition = machine.Definition?.ToJsonString() ?? ReadDefinition(template, machine);
        var bound = Placeholder().Replace(definition, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
        return new BoundStateMachine(stateMachineLogicalId, bound, values, functions);
    }

    /// <summary>The state machine of <paramref name="template"/> whose DefinitionUri is the file at <paramref name="definitionPath"/>, if any.</summary>
    public static string? FindStateMachineFor(SamTemplate template, string definitionPath)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(definitionPath);
        var target = Path.GetFullPath(definitionPath);
        return template.StateMachines.Values
            .Where(m => m.DefinitionUri is not null
                && string.Equals(Path.GetFullPath(Path.Combine(template.Directory ?? ".", m.DefinitionUri)), target, StringComparison.Ordinal))
            .Select(m => m.LogicalId)
            .FirstOrDefault();
    }

    /// <summary>
    /// Binds a state machine with handlers a host supplies per function (for example, a step run in-process or a
    /// function's process behind a local Lambda service), registered under each function's logical id.
    /// </summary>
    public static BoundStateMachine Bind(
        SamTemplate template,
        string stateMachineLogicalId,
        LambdaFunctionRegistry registry,
        Func<SamFunction, LambdaHandlerLoader.Handler> handlerFor,
        string region = "us-east-1",
        string account = "123456789012")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(handlerFor);
        var bound = Substitute(template, stateMachineLogicalId, region, account);
        foreach (var fn in bound.Functions)
        {
            registry.Register(fn.LogicalId, handlerFor(fn));
        }

        return bound;
    }

    /// <summary>All functions' assemblies come from one folder (e.g. a shared build output).</summary>
    public static BoundStateMachine Bind(SamTemplate template, string stateMachineLogicalId, string probingPath, LambdaFunctionRegistry registry, string region = "us-east-1", string account = "123456789012") =>
        Bind(template, stateMachineLogicalId, _ => probingPath, registry, region, account);

    /// <summary>
    /// The conventional build output of a function: {template folder}/{CodeUri}/bin/{configuration}/{framework}
    /// (CodeUri defaults to the template folder itself).
    /// </summary>
    public static string BuildOutput(SamTemplate template, SamFunction function, string configuration = "Release", string framework = "net10.0")
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(function);
        return Path.GetFullPath(Path.Combine(template.Directory ?? ".", function.CodeUri ?? ".", "bin", configuration, framework));
    }

    public static string FunctionArn(string logicalId, string region = "us-east-1", string account = "123456789012") =>
        $"arn:aws:lambda:{region}:{account}:function:{logicalId}";

    private static string ReadDefinition(SamTemplate template, SamStateMachine machine)
    {
        if (machine.DefinitionUri is null)
        {
            throw new InvalidOperationException($"state machine {machine.LogicalId} has neither Definition nor DefinitionUri");
        }

        return File.ReadAllText(Path.Combine(template.Directory ?? ".", machine.DefinitionUri));
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();

    internal sealed class Resolver(SamTemplate template, string region, string account)
    {
        public SortedSet<string> ReferencedFunctions { get; } = new(StringComparer.Ordinal);

        public string Resolve(YamlNode node)
        {
            var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
            switch (tag)
            {
                case "!GetAtt":
                    return GetAtt(node);
                case "!Ref":
                    return Ref(SamTemplate.Scalar(node) ?? throw Bad(node));
                case "!Sub":
                    return Sub(node);
            }

            if (node is YamlMappingNode m && m.Children.Count == 1)
            {
                var (k, v) = m.Children.First();
                switch (SamTemplate.Scalar(k))
                {
                    case "Fn::GetAtt":
                        return GetAtt(v);
                    case "Ref":
                        return Ref(SamTemplate.Scalar(v) ?? throw Bad(v));
                    case "Fn::Sub":
                        return Sub(v);
                }
            }

            return SamTemplate.Scalar(node) ?? throw Bad(node);
        }

        private string GetAtt(YamlNode node)
        {
            string logicalId, attribute;
            if (node is YamlSequenceNode { Children.Count: 2 } seq)
            {
                logicalId = SamTemplate.Scalar(seq.Children[0]) ?? throw Bad(node);
                attribute = SamTemplate.Scalar(seq.Children[1]) ?? throw Bad(node);
            }
            else
            {
                var text = SamTemplate.Scalar(node) ?? throw Bad(node);
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0)
                {
                    throw Bad(node);
                }

                logicalId = text[..dot];
                attribute = text[(dot + 1)..];
            }

            return Attribute(logicalId, attribute);
        }

        private string Attribute(string logicalId, string attribute)
        {
            if (template.Functions.ContainsKey(logicalId))
            {
                ReferencedFunctions.Add(logicalId);
                return attribute == "Arn" ? FunctionArn(logicalId, region, account) : logicalId;
            }

            if (!template.Resources.TryGetValue(logicalId, out var resource))
            {
                throw new InvalidOperationException($"template: !GetAtt names unknown resource '{logicalId}'");
            }

            var name = NameOf(logicalId, resource.Properties);
            return (resource.Type, attribute) switch
            {
                ("AWS::Events::EventBus", "Arn") => $"arn:aws:events:{region}:{account}:event-bus/{name}",
                ("AWS::Events::EventBus", "Name") => name,
                (_, "Arn") => $"arn:aws:local:{region}:{account}:{logicalId}",
                _ => name,
            };
        }

        private string Ref(string name)
        {
            if (PseudoParameters.Resolve(name, region, account) is { } pseudo)
            {
                return pseudo;
            }

            if (template.Parameters.TryGetValue(name, out var value))
            {
                return value ?? throw new InvalidOperationException($"template: parameter '{name}' has no Default to use locally");
            }

            if (template.Functions.ContainsKey(name))
            {
                ReferencedFunctions.Add(name);
                return name;
            }

            if (template.Resources.TryGetValue(name, out var resource))
            {
                return NameOf(name, resource.Properties);
            }

            throw new InvalidOperationException($"template: !Ref names unknown parameter or resource '{name}'");
        }

        private string Sub(YamlNode node)
        {
            string text;
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            if (node is YamlSequenceNode { Children.Count: 2 } seq)
            {
                text = SamTemplate.Scalar(seq.Children[0]) ?? throw Bad(node);
                if (seq.Children[1] is YamlMappingNode vars)
                {
                    foreach (var (k, v) in vars.Children)
                    {
                        variables[SamTemplate.Scalar(k)!] = Resolve(v);
                    }
                }
            }
            else
            {
                text = SamTemplate.Scalar(node) ?? throw Bad(node);
            }

            var sb = new StringBuilder();
            var last = 0;
            foreach (Match m in Placeholder().Matches(text))
            {
                sb.Append(text, last, m.Index - last);
                var expr = m.Groups[1].Value;
                var dot = expr.IndexOf('.', StringComparison.Ordinal);
                sb.Append(
                    variables.TryGetValue(expr, out var v) ? v
                    : expr.StartsWith('!') ? "${" + expr[1..] + "}"
                    : dot > 0 && !expr.StartsWith("AWS::", StringComparison.Ordinal) ? Attribute(expr[..dot], expr[(dot + 1)..])
                    : Ref(expr));
                last = m.Index + m.Length;
            }

            sb.Append(text, last, text.Length - last);
            return sb.ToString();
        }

        private string NameOf(string logicalId, YamlMappingNode? properties)
        {
            var nameNode = SamTemplate.Child(properties, "Name");
            return nameNode is null ? logicalId : Resolve(nameNode);
        }

        private static FormatException Bad(YamlNode node) => new($"template: cannot read the intrinsic at {node.Start}");
    }
}
