using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;
using Workflows.Templates;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Workflows.EventBridge.Templates;

/// <summary>A rule read from the template, with the bus it belongs on.</summary>
public sealed record TemplateRule(string EventBusName, EventRule Rule);

/// <summary>
/// Builds a bus's rules from a SAM template: the <c>Events</c> of each AWS::Serverless::StateMachine whose Type is
/// EventBridgeRule or CloudWatchEvent (Pattern, EventBusName, Input, InputPath, InputTransformer, RetryPolicy,
/// DeadLetterConfig, RuleName, State, Target.Id), and every AWS::Events::Rule with its Targets. A state machine's
/// target is named by its logical id: its ARN is <c>arn:aws:states:{region}:{account}:stateMachine:{LogicalId}</c>
/// unless the caller maps it, and the rule records <see cref="EventRule.StateMachineLogicalId"/>.
/// Intrinsics: !Ref (parameters with their Default, pseudo parameters, resources), !GetAtt and !Sub, short and long
/// forms. A !Ref to a parameter where a pattern needs a list of values is read as a CommaDelimitedList.
/// </summary>
public static partial class TemplateRules
{
    /// <summary>The SAM names (docs: "AWS::Serverless::StateMachine EventBridgeRule"): rule &lt;machine&gt;&lt;event&gt;, target &lt;machine&gt;&lt;event&gt;StepFunctionsTarget.</summary>
    public const string SamTargetSuffix = "StepFunctionsTarget";

    public static string StateMachineArn(string logicalId, string region = "us-east-1", string account = "123456789012") =>
        $"arn:aws:states:{region}:{account}:stateMachine:{logicalId}";

    /// <exception cref="FormatException">A rule cannot be read; <see cref="InvalidEventPatternException"/> for a bad pattern, naming the rule.</exception>
    public static IReadOnlyList<TemplateRule> Read(
        SamTemplate template,
        string region = "us-east-1",
        string account = "123456789012",
        Func<string, string>? stateMachineArn = null,
        EventPatternOptions? patternOptions = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var resolver = new Resolver(template, region, account, stateMachineArn ?? (id => StateMachineArn(id, region, account)), patternOptions ?? EventPatternOptions.Default);
        var rules = new List<TemplateRule>();
        foreach (var (logicalId, (type, properties)) in template.Resources.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            switch (type)
            {
                case "AWS::Serverless::StateMachine" or "AWS::StepFunctions::StateMachine":
                    if (Child(properties, "Events") is YamlMappingNode events)
                    {
                        foreach (var (key, value) in events.Children)
                        {
                            var eventId = Scalar(key)!;
                            var body = value as YamlMappingNode;
                            var eventType = Scalar(Child(body, "Type"));
                            if (eventType is "EventBridgeRule" or "CloudWatchEvent")
                            {
                                rules.Add(FromSamEvent(resolver, logicalId, eventId, Child(body, "Properties") as YamlMappingNode));
                            }
                        }
                    }

                    break;
                case "AWS::Events::Rule":
                    rules.Add(FromEventsRule(resolver, logicalId, properties));
                    break;
            }
        }

        return rules;
    }

    /// <summary>Puts the rules and their targets on the service's buses, creating the buses they name.</summary>
    public static void Apply(EventBridgeService service, IEnumerable<TemplateRule> rules)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            var bus = service.GetOrCreateBus(rule.EventBusName);
            var placed = bus.PutRule(rule.Rule);
            if (!ReferenceEquals(placed, rule.Rule))
            {
                placed.PutTargets(rule.Rule.Targets);
            }
        }
    }

    private static TemplateRule FromSamEvent(Resolver r, string machineId, string eventId, YamlMappingNode? props)
    {
        var where = $"template: {machineId}.Events.{eventId}";
        var name = OptString(r, props, "RuleName", where) ?? OptString(r, props, "Name", where) ?? $"{machineId}{eventId}";
        var patternNode = Child(props, "Pattern") ?? throw new FormatException($"{where}: Pattern is required (schedules are not rules of this kind)");
        var pattern = EventPattern.Parse(r.PatternJson(patternNode).ToJsonString(), name, r.PatternOptions);
        var state = State(OptString(r, props, "State", where), Child(props, "Enabled") is { } enabled ? r.Json(enabled) : null, where);
        var bus = BusName(OptString(r, props, "EventBusName", where));
        var targetId = Child(Child(props, "Target") as YamlMappingNode, "Id") is { } idNode ? r.String(idNode, $"{where}.Target.Id") : $"{machineId}{eventId}{SamTargetSuffix}";
        string? dlq = null;
        if (Child(props, "DeadLetterConfig") is YamlMappingNode dl)
        {
            // SAM either takes an existing queue's Arn or, with Type: SQS, creates <machine><event>Queue.
            dlq = Child(dl, "Arn") is { } arn ? r.String(arn, $"{where}.DeadLetterConfig.Arn")
                : $"arn:aws:sqs:{r.Region}:{r.Account}:{OptString(r, dl, "QueueLogicalId", where) ?? machineId + eventId + "Queue"}";
        }

        var target = Target(r, props, targetId, r.MachineArn(machineId), dlq, where);
        var rule = new EventRule(name, pattern, state) { StateMachineLogicalId = machineId };
        rule.PutTargets([target]);
        return new TemplateRule(bus, rule);
    }

    private static TemplateRule FromEventsRule(Resolver r, string logicalId, YamlMappingNode? props)
    {
        var where = $"template: {logicalId}";
        var name = OptString(r, props, "Name", where) ?? logicalId;
        var patternNode = Child(props, "EventPattern");
        var schedule = OptString(r, props, "ScheduleExpression", where);
        var pattern = patternNode is null ? null : EventPattern.Parse(r.PatternJson(patternNode).ToJsonString(), name, r.PatternOptions);
        var state = State(OptString(r, props, "State", where), null, where);
        string? machine = null;
        var targets = new List<RuleTarget>();
        if (Child(props, "Targets") is YamlSequenceNode list)
        {
            var i = 0;
            foreach (var item in list.Children.OfType<YamlMappingNode>())
            {
                var at = $"{where}.Targets[{i++}]";
                var arnNode = Child(item, "Arn") ?? throw new FormatException($"{at}: Arn is required");
                var arn = r.String(arnNode, $"{at}.Arn");
                machine ??= r.MachineNamedBy(arnNode);
                var dlq = Child(item, "DeadLetterConfig") is YamlMappingNode dl && Child(dl, "Arn") is { } dlArn ? r.String(dlArn, $"{at}.DeadLetterConfig.Arn") : null;
                var id = Child(item, "Id") is { } idNode ? r.String(idNode, $"{at}.Id") : throw new FormatException($"{at}: Id is required");
                targets.Add(Target(r, item, id, arn, dlq, at));
            }
        }

        var rule = new EventRule(name, pattern, state, OptString(r, props, "Description", where), schedule) { StateMachineLogicalId = machine };
        rule.PutTargets(targets);
        return new TemplateRule(BusName(OptString(r, props, "EventBusName", where)), rule);
    }

    private static RuleTarget Target(Resolver r, YamlMappingNode? props, string id, string arn, string? dlq, string where)
    {
        RetryPolicy? retry = null;
        if (Child(props, "RetryPolicy") is YamlMappingNode rp)
        {
            retry = new RetryPolicy(
                OptInt(r, rp, "MaximumRetryAttempts", where) ?? 185,
                OptInt(r, rp, "MaximumEventAgeInSeconds", where) ?? 86400);
        }

        InputTransformer? transformer = null;
        if (Child(props, "InputTransformer") is YamlMappingNode it)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Child(it, "InputPathsMap") is YamlMappingNode m)
            {
                foreach (var (k, v) in m.Children)
                {
                    map[Scalar(k)!] = r.String(v, $"{where}.InputTransformer.InputPathsMap.{Scalar(k)}");
                }
            }

            transformer = new InputTransformer(map, OptString(r, it, "InputTemplate", $"{where}.InputTransformer")
                ?? throw new FormatException($"{where}.InputTransformer: InputTemplate is required"));
        }

        try
        {
            return new RuleTarget(id, arn, OptString(r, props, "Input", where), OptString(r, props, "InputPath", where), transformer, retry, dlq);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{where}: {e.Message}", e);
        }
    }

    private static RuleState State(string? state, JsonNode? enabled, string where) => (state, enabled) switch
    {
        ("DISABLED", _) => RuleState.Disabled,
        (null or "ENABLED", null) => RuleState.Enabled,
        (null, JsonValue v) when v.TryGetValue<bool>(out var on) => on ? RuleState.Enabled : RuleState.Disabled,
        _ => throw new FormatException($"{where}: State must be ENABLED or DISABLED (or Enabled true/false)"),
    };

    private static string BusName(string? nameOrArn) =>
        string.IsNullOrEmpty(nameOrArn) ? "default"
        : nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn[(nameOrArn.LastIndexOf('/') + 1)..]
        : nameOrArn;

    private static string? OptString(Resolver r, YamlMappingNode? map, string key, string where) =>
        Child(map, key) is { } node ? r.String(node, $"{where}.{key}") : null;

    private static int? OptInt(Resolver r, YamlMappingNode? map, string key, string where)
    {
        if (Child(map, key) is not { } node)
        {
            return null;
        }

        var text = r.String(node, $"{where}.{key}");
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw new FormatException($"{where}.{key}: '{text}' is not an integer");
    }

    private static YamlNode? Child(YamlMappingNode? map, string key) =>
        map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode s ? s.Value : null;

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex SubPlaceholder();

    /// <summary>Turns YAML with intrinsics into JSON values.</summary>
    private sealed class Resolver(SamTemplate template, string region, string account, Func<string, string> machineArn, EventPatternOptions patternOptions)
    {
        public EventPatternOptions PatternOptions => patternOptions;

        public string Region => region;

        public string Account => account;

        public string MachineArn(string logicalId) => machineArn(logicalId);

        /// <summary>The logical id of the state machine an Arn node refers to (!Ref M or !GetAtt M.Arn), if any.</summary>
        public string? MachineNamedBy(YamlNode node)
        {
            var (tag, operand) = Intrinsic(node);
            var id = tag switch
            {
                "Ref" => Scalar(operand),
                "GetAtt" => operand is YamlSequenceNode { Children.Count: 2 } s ? Scalar(s.Children[0]) : Scalar(operand)?.Split('.')[0],
                _ => null,
            };
            return id is not null && IsMachine(id) ? id : null;
        }

        public string String(YamlNode node, string where) => Json(node) switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v => v.ToJsonString(),
            _ => throw new FormatException($"{where}: a single value is required"),
        };

        /// <summary>A pattern: like <see cref="Json"/>, except that a field given as !Ref to a parameter becomes its comma-separated list.</summary>
        public JsonNode PatternJson(YamlNode node)
        {
            if (node is YamlMappingNode map && Intrinsic(node).Tag is null)
            {
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    var (tag, operand) = Intrinsic(v);
                    obj[Scalar(k)!] = tag == "Ref" && Scalar(operand) is { } p && template.Parameters.ContainsKey(p)
                        ? new JsonArray(Ref(p).Split(',').Select(s => (JsonNode?)JsonValue.Create(s.Trim())).ToArray())
                        : PatternJson(v);
                }

                return obj;
            }

            return Json(node) ?? JsonValue.Create((string?)null)!;
        }

        public JsonNode? Json(YamlNode node)
        {
            var (tag, operand) = Intrinsic(node);
            switch (tag)
            {
                case "Ref":
                    return JsonValue.Create(Ref(Scalar(operand) ?? throw Bad(node)));
                case "GetAtt":
                    return JsonValue.Create(GetAtt(operand));
                case "Sub":
                    return JsonValue.Create(Sub(operand));
            }

            return node switch
            {
                YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(Scalar(kv.Key)!, Json(kv.Value)))),
                YamlSequenceNode s => new JsonArray(s.Children.Select(Json).ToArray()),
                YamlScalarNode sc => ScalarJson(sc),
                _ => null,
            };
        }

        private static (string? Tag, YamlNode? Operand) Intrinsic(YamlNode node)
        {
            if (!node.Tag.IsEmpty)
            {
                return (node.Tag.Value.TrimStart('!'), node);
            }

            if (node is YamlMappingNode { Children.Count: 1 } m && Scalar(m.Children.First().Key) is { } key
                && key is "Ref" or "Fn::GetAtt" or "Fn::Sub")
            {
                return (key.Replace("Fn::", string.Empty, StringComparison.Ordinal), m.Children.First().Value);
            }

            return (null, null);
        }

        private static JsonValue? ScalarJson(YamlScalarNode s)
        {
            if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            {
                return JsonValue.Create(s.Value);
            }

            return s.Value switch
            {
                "true" => JsonValue.Create(true),
                "false" => JsonValue.Create(false),
                "null" or "~" => null,
                var v when decimal.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
                var v => JsonValue.Create(v),
            };
        }

        private bool IsMachine(string id) =>
            template.Resources.TryGetValue(id, out var r) && r.Type is "AWS::Serverless::StateMachine" or "AWS::StepFunctions::StateMachine";

        private string Ref(string name)
        {
            if (PseudoParameters.Resolve(name, region, account) is { } pseudo)
            {
                return pseudo;
            }

            if (template.Parameters.TryGetValue(name, out var value))
            {
                return value ?? throw new FormatException($"template: parameter '{name}' has no Default to use locally");
            }

            if (!template.Resources.TryGetValue(name, out var resource))
            {
                throw new FormatException($"template: !Ref names unknown parameter or resource '{name}'");
            }

            // What !Ref returns for the resource types a rule names: a bus's name, a state machine's ARN, else the id.
            return resource.Type switch
            {
                "AWS::Events::EventBus" => Child(resource.Properties, "Name") is { } n ? String(n, $"template: {name}.Name") : name,
                "AWS::Serverless::StateMachine" or "AWS::StepFunctions::StateMachine" => machineArn(name),
                _ => name,
            };
        }

        private string GetAtt(YamlNode? operand)
        {
            string id, attribute;
            if (operand is YamlSequenceNode { Children.Count: 2 } s)
            {
                (id, attribute) = (Scalar(s.Children[0]) ?? throw Bad(operand), Scalar(s.Children[1]) ?? throw Bad(operand));
            }
            else
            {
                var text = Scalar(operand) ?? throw Bad(operand);
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                (id, attribute) = dot > 0 ? (text[..dot], text[(dot + 1)..]) : throw Bad(operand);
            }

            return Attribute(id, attribute);
        }

        private string Attribute(string id, string attribute)
        {
            if (!template.Resources.TryGetValue(id, out var resource))
            {
                throw new FormatException($"template: !GetAtt names unknown resource '{id}'");
            }

            return (resource.Type, attribute) switch
            {
                ("AWS::SQS::Queue", "Arn") => $"arn:aws:sqs:{region}:{account}:{id}",
                ("AWS::Events::EventBus", "Arn") => $"arn:aws:events:{region}:{account}:event-bus/{Ref(id)}",
                ("AWS::Events::EventBus", "Name") => Ref(id),
                ("AWS::Serverless::StateMachine" or "AWS::StepFunctions::StateMachine", "Arn") => machineArn(id),
                ("AWS::Serverless::Function" or "AWS::Lambda::Function", "Arn") => $"arn:aws:lambda:{region}:{account}:function:{id}",
                (_, "Arn") => $"arn:aws:local:{region}:{account}:{id}",
                _ => id,
            };
        }

        private string Sub(YamlNode? operand)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            string text;
            if (operand is YamlSequenceNode { Children.Count: 2 } s)
            {
                text = Scalar(s.Children[0]) ?? throw Bad(operand);
                if (s.Children[1] is YamlMappingNode vars)
                {
                    foreach (var (k, v) in vars.Children)
                    {
                        variables[Scalar(k)!] = String(v, "template: !Sub variable");
                    }
                }
            }
            else
            {
                text = Scalar(operand) ?? throw Bad(operand);
            }

            var sb = new StringBuilder();
            var last = 0;
            foreach (Match m in SubPlaceholder().Matches(text))
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

        private static FormatException Bad(YamlNode? node) => new($"template: cannot read the intrinsic at {node?.Start}");
    }
}
