using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Api;

/// <summary>An answer of the API: the HTTP status and the JSON body (content type <see cref="EventBridgeApi.ContentType"/>).</summary>
public sealed record ApiResponse(int StatusCode, string Body)
{
    /// <summary>The error's <c>__type</c> for an error answer (the host may copy it to x-amzn-ErrorType), else null.</summary>
    public string? ErrorType { get; init; }
}

/// <summary>
/// EventBridge's awsJson1_1 API as a plain function: the operation (the X-Amz-Target header, <c>AWSEvents.PutEvents</c>,
/// or the bare name) and the request body in, a status and a body out, so an HTTP host mounts it on POST / without
/// this library knowing ASP.NET. Errors follow the AWS JSON protocol: <c>{"__type": "...", "message": "..."}</c>.
/// Operations: PutEvents, TestEventPattern, PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule,
/// PutTargets, ListTargetsByRule, RemoveTargets.
/// </summary>
public sealed class EventBridgeApi(EventBridgeService service)
{
    public const string TargetPrefix = "AWSEvents.";
    public const string ContentType = "application/x-amz-json-1.1";

    /// <summary>Inferred: the page size when a List call gives no Limit (the API's maximum).</summary>
    public const int DefaultPageSize = 100;

    private static readonly string[] TestEventRequiredFields = ["id", "account", "source", "time", "region", "resources", "detail-type"];

    public ApiResponse Handle(string? operation, string? body)
    {
        var name = operation is not null && operation.StartsWith(TargetPrefix, StringComparison.Ordinal) ? operation[TargetPrefix.Length..] : operation;
        try
        {
            JsonObject request;
            try
            {
                request = string.IsNullOrWhiteSpace(body) ? [] : JsonNode.Parse(body) as JsonObject
                    ?? throw new EventBridgeApiException(400, "SerializationException", "The request body must be a JSON object.");
            }
            catch (JsonException e)
            {
                throw new EventBridgeApiException(400, "SerializationException", $"The request body is not valid JSON: {e.Message}");
            }

            JsonObject result = name switch
            {
                "PutEvents" => PutEvents(request),
                "TestEventPattern" => TestEventPattern(request),
                "PutRule" => PutRule(request),
                "DescribeRule" => DescribeRule(request),
                "ListRules" => ListRules(request),
                "DeleteRule" => DeleteRule(request),
                "EnableRule" => SetState(request, RuleState.Enabled),
                "DisableRule" => SetState(request, RuleState.Disabled),
                "PutTargets" => PutTargets(request),
                "ListTargetsByRule" => ListTargetsByRule(request),
                "RemoveTargets" => RemoveTargets(request),
                _ => throw new EventBridgeApiException(400, "UnknownOperationException", $"Operation {operation ?? "(none: no X-Amz-Target header)"} is not supported by this local EventBridge."),
            };
            return new ApiResponse(200, result.ToJsonString(JsonText.Options));
        }
        catch (EventBridgeApiException e)
        {
            return Error(e.StatusCode, e.ErrorType, e.Message);
        }
        catch (InvalidEventPatternException e)
        {
            return Error(400, "InvalidEventPatternException", e.Message);
        }
        catch (FormatException e)
        {
            return Error(400, "ValidationException", e.Message);
        }
#pragma warning disable CA1031 // Anything else is the service's fault, answered as InternalException rather than a dropped connection.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return Error(500, "InternalException", e.Message);
        }
    }

    private static ApiResponse Error(int status, string type, string message) =>
        new(status, new JsonObject { ["__type"] = type, ["message"] = message }.ToJsonString(JsonText.Options)) { ErrorType = type };

    private JsonObject PutEvents(JsonObject request)
    {
        var entries = request["Entries"] as JsonArray
            ?? throw EventBridgeApiException.Validation("1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null");
        var parsed = new List<PutEventsEntry>();
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] as JsonObject ?? throw EventBridgeApiException.Validation($"Entries[{i}] must be an object");
            var where = $"Entries[{i}]";
            parsed.Add(new PutEventsEntry(
                OptString(entry, "Source", where),
                OptString(entry, "DetailType", where),
                OptString(entry, "Detail", where),
                OptStringList(entry, "Resources", where),
                OptTime(entry, "Time", where),
                OptString(entry, "EventBusName", where),
                OptString(entry, "TraceHeader", where)));
        }

        var result = service.PutEvents(parsed);
        var answer = new JsonArray();
        foreach (var e in result.Entries)
        {
            answer.Add(e.EventId is not null
                ? new JsonObject { ["EventId"] = e.EventId }
                : new JsonObject { ["ErrorCode"] = e.ErrorCode, ["ErrorMessage"] = e.ErrorMessage });
        }

        return new JsonObject { ["FailedEntryCount"] = result.FailedEntryCount, ["Entries"] = answer };
    }

    private JsonObject TestEventPattern(JsonObject request)
    {
        var patternText = RequiredString(request, "EventPattern", "request");
        var eventText = RequiredString(request, "Event", "request");
        var pattern = EventPattern.Parse(patternText, options: service.Options.PatternOptions);
        JsonObject evt;
        try
        {
            evt = JsonNode.Parse(eventText) as JsonObject ?? throw EventBridgeApiException.Validation("Parameter Event is not valid. Reason: the event must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw EventBridgeApiException.Validation($"Parameter Event is not valid. Reason: not valid JSON ({e.Message}).");
        }

        // The API reference: "the following fields are mandatory: id, account, source, time, region, resources, detail-type".
        foreach (var field in TestEventRequiredFields)
        {
            if (!evt.ContainsKey(field))
            {
                throw EventBridgeApiException.Validation($"Parameter Event is not valid. Reason: the field '{field}' is required.");
            }
        }

        return new JsonObject { ["Result"] = pattern.Matches(evt) };
    }

    private JsonObject PutRule(JsonObject request)
    {
        var name = RequiredString(request, "Name", "request");
        EventRule.ValidateName(name);
        var bus = Bus(request);
        var patternText = OptString(request, "EventPattern", "request");
        var schedule = OptString(request, "ScheduleExpression", "request");
        if (patternText is null && schedule is null)
        {
            throw EventBridgeApiException.Validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
        }

        if (patternText is { Length: > 4096 })
        {
            throw EventBridgeApiException.Validation($"EventPattern is {patternText.Length} characters, over the limit of 4096");
        }

        var state = OptString(request, "State", "request") switch
        {
            null or "ENABLED" => RuleState.Enabled,
            "DISABLED" => RuleState.Disabled,
            var other => throw EventBridgeApiException.Validation($"1 validation error detected: Value '{other}' at 'state' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]"),
        };
        var pattern = patternText is null ? null : EventPattern.Parse(patternText, name, service.Options.PatternOptions);
        bus.PutRule(new EventRule(name, pattern, state, OptString(request, "Description", "request"), schedule));
        return new JsonObject { ["RuleArn"] = bus.RuleArn(name) };
    }

    private JsonObject DescribeRule(JsonObject request)
    {
        var bus = Bus(request);
        var rule = Rule(bus, RequiredString(request, "Name", "request"));
        var answer = RuleJson(bus, rule);
        answer["CreatedBy"] = service.Options.Account;
        return answer;
    }

    private JsonObject ListRules(JsonObject request)
    {
        var bus = Bus(request);
        var prefix = OptString(request, "NamePrefix", "request") ?? string.Empty;
        var rules = bus.Rules.Where(r => r.Name.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        var (page, next) = Page(rules, r => r.Name, request);
        var answer = new JsonObject { ["Rules"] = new JsonArray(page.Select(r => (JsonNode)RuleJson(bus, r)).ToArray()) };
        if (next is not null)
        {
            answer["NextToken"] = next;
        }

        return answer;
    }

    private JsonObject DeleteRule(JsonObject request)
    {
        var bus = Bus(request);
        var name = RequiredString(request, "Name", "request");
        try
        {
            bus.DeleteRule(name);
        }
        catch (InvalidOperationException e)
        {
            throw EventBridgeApiException.Validation(e.Message);
        }

        return [];
    }

    private JsonObject SetState(JsonObject request, RuleState state)
    {
        var bus = Bus(request);
        var rule = Rule(bus, RequiredString(request, "Name", "request"));
        bus.PutRule(new EventRule(rule.Name, rule.Pattern, state, rule.Description, rule.ScheduleExpression));
        return [];
    }

    private JsonObject PutTargets(JsonObject request)
    {
        var bus = Bus(request);
        var rule = Rule(bus, RequiredString(request, "Rule", "request"));
        var targets = request["Targets"] as JsonArray;
        if (targets is null || targets.Count is < 1 or > 100)
        {
            throw EventBridgeApiException.Validation("1 validation error detected: Value at 'targets' failed to satisfy constraint: Member must have length between 1 and 100");
        }

        var parsed = new List<RuleTarget>();
        for (var i = 0; i < targets.Count; i++)
        {
            parsed.Add(ParseTarget(targets[i] as JsonObject ?? throw EventBridgeApiException.Validation($"Targets[{i}] must be an object"), $"Targets[{i}]"));
        }

        try
        {
            rule.PutTargets(parsed);
        }
        catch (InvalidOperationException e)
        {
            throw new EventBridgeApiException(400, "LimitExceededException", $"The requested resource exceeds the maximum number allowed. {e.Message}");
        }

        return new JsonObject { ["FailedEntryCount"] = 0, ["FailedEntries"] = new JsonArray() };
    }

    private JsonObject ListTargetsByRule(JsonObject request)
    {
        var bus = Bus(request);
        var rule = Rule(bus, RequiredString(request, "Rule", "request"));
        var (page, next) = Page(rule.Targets.ToList(), t => t.Id, request);
        var answer = new JsonObject { ["Targets"] = new JsonArray(page.Select(t => (JsonNode)TargetJson(t)).ToArray()) };
        if (next is not null)
        {
            answer["NextToken"] = next;
        }

        return answer;
    }

    private JsonObject RemoveTargets(JsonObject request)
    {
        var bus = Bus(request);
        var rule = Rule(bus, RequiredString(request, "Rule", "request"));
        var ids = OptStringList(request, "Ids", "request") ?? throw EventBridgeApiException.Validation("Ids is required");
        rule.RemoveTargets(ids);
        return new JsonObject { ["FailedEntryCount"] = 0, ["FailedEntries"] = new JsonArray() };
    }

    private static RuleTarget ParseTarget(JsonObject t, string where)
    {
        InputTransformer? transformer = null;
        if (t["InputTransformer"] is JsonObject it)
        {
            Dictionary<string, string>? map = null;
            if (it["InputPathsMap"] is JsonObject m)
            {
                map = m.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                    : throw EventBridgeApiException.Validation($"{where}.InputTransformer.InputPathsMap.{kv.Key} must be a string"));
            }

            transformer = new InputTransformer(map, RequiredString(it, "InputTemplate", $"{where}.InputTransformer"));
        }

        RetryPolicy? retry = null;
        if (t["RetryPolicy"] is JsonObject rp)
        {
            retry = new RetryPolicy(OptInt(rp, "MaximumRetryAttempts", where) ?? 185, OptInt(rp, "MaximumEventAgeInSeconds", where) ?? 86400);
        }

        var dlq = t["DeadLetterConfig"] is JsonObject d ? OptString(d, "Arn", $"{where}.DeadLetterConfig") : null;
        return new RuleTarget(
            RequiredString(t, "Id", where), RequiredString(t, "Arn", where), OptString(t, "Input", where), OptString(t, "InputPath", where), transformer, retry, dlq);
    }

    internal static JsonObject TargetJson(RuleTarget t)
    {
        var json = new JsonObject { ["Id"] = t.Id, ["Arn"] = t.Arn };
        if (t.Input is not null)
        {
            json["Input"] = t.Input;
        }

        if (t.InputPath is not null)
        {
            json["InputPath"] = t.InputPath;
        }

        if (t.InputTransformer is { } it)
        {
            json["InputTransformer"] = new JsonObject
            {
                ["InputPathsMap"] = new JsonObject(it.InputPathsMap.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["InputTemplate"] = it.InputTemplate,
            };
        }

        json["RetryPolicy"] = new JsonObject
        {
            ["MaximumRetryAttempts"] = t.RetryPolicy.MaximumRetryAttempts,
            ["MaximumEventAgeInSeconds"] = t.RetryPolicy.MaximumEventAgeInSeconds,
        };
        if (t.DeadLetterArn is not null)
        {
            json["DeadLetterConfig"] = new JsonObject { ["Arn"] = t.DeadLetterArn };
        }

        return json;
    }

    private static JsonObject RuleJson(EventBus bus, EventRule rule)
    {
        var json = new JsonObject { ["Name"] = rule.Name, ["Arn"] = bus.RuleArn(rule.Name) };
        if (rule.Pattern is not null)
        {
            json["EventPattern"] = rule.Pattern.Text;
        }

        if (rule.ScheduleExpression is not null)
        {
            json["ScheduleExpression"] = rule.ScheduleExpression;
        }

        json["State"] = rule.State == RuleState.Enabled ? "ENABLED" : "DISABLED";
        if (rule.Description is not null)
        {
            json["Description"] = rule.Description;
        }

        json["EventBusName"] = bus.Name;
        return json;
    }

    /// <summary>Pages in ordinal order of the key (Inferred for targets, which AWS may list in another order).</summary>
    private static (List<T> Page, string? Next) Page<T>(List<T> items, Func<T, string> key, JsonObject request)
    {
        var limit = OptInt(request, "Limit", "request") ?? DefaultPageSize;
        if (limit is < 1 or > 100)
        {
            throw EventBridgeApiException.Validation($"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 100");
        }

        items = items.OrderBy(key, StringComparer.Ordinal).ToList();

        var start = 0;
        if (OptString(request, "NextToken", "request") is { } token)
        {
            // The token names the last item of the previous page, so items added or removed meanwhile do not shift the pages.
            string after;
            try
            {
                after = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            }
            catch (FormatException)
            {
                throw EventBridgeApiException.Validation("The NextToken is not valid.");
            }

            var at = items.FindIndex(i => string.CompareOrdinal(key(i), after) > 0);
            start = at < 0 ? items.Count : at;
        }

        var page = items.Skip(start).Take(limit).ToList();
        var next = start + page.Count < items.Count && page.Count > 0 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(key(page[^1]))) : null;
        return (page, next);
    }

    private EventBus Bus(JsonObject request)
    {
        var name = OptString(request, "EventBusName", "request");
        return service.FindBus(name) ?? throw EventBridgeApiException.NotFound($"Event bus {name} does not exist.");
    }

    private static EventRule Rule(EventBus bus, string name) =>
        bus.FindRule(name) ?? throw EventBridgeApiException.NotFound($"Rule {name} does not exist on EventBus {bus.Name}.");

    private static string RequiredString(JsonObject o, string field, string where) =>
        OptString(o, field, where) ?? throw EventBridgeApiException.Validation($"1 validation error detected: Value null at '{field}' failed to satisfy constraint: Member must not be null");

    private static string? OptString(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => throw new EventBridgeApiException(400, "SerializationException", $"{where}.{field} must be a string"),
    };

    private static int? OptInt(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var n) => n,
        JsonValue v when v.TryGetValue<long>(out _) || v.TryGetValue<double>(out _) => throw EventBridgeApiException.Validation($"{where}.{field} must be a 32-bit integer"),
        _ => throw new EventBridgeApiException(400, "SerializationException", $"{where}.{field} must be a number"),
    };

    private static List<string>? OptStringList(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonArray a => a.Select((item, i) => item is JsonValue v && v.TryGetValue<string>(out var s) ? s
            : throw new EventBridgeApiException(400, "SerializationException", $"{where}.{field}[{i}] must be a string")).ToList(),
        _ => throw new EventBridgeApiException(400, "SerializationException", $"{where}.{field} must be a list of strings"),
    };

    /// <summary>awsJson1_1 sends timestamps as epoch seconds; an ISO 8601 string is accepted too.</summary>
    private static DateTimeOffset? OptTime(JsonObject o, string field, string where) => o[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<double>(out var seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)),
        JsonValue v when v.TryGetValue<string>(out var s) && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => throw new EventBridgeApiException(400, "SerializationException", $"{where}.{field} must be a timestamp (epoch seconds)"),
    };
}
