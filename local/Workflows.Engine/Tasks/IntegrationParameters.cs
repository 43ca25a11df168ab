using System.Text.Json.Nodes;

namespace Workflows.Engine.Tasks;

/// <summary>
/// The parameter names each optimized integration accepts, so a misspelt field is refused by name instead of being
/// dropped. Names follow the APIs: Lambda's Invoke request as Step Functions exposes it (FunctionName, Payload,
/// InvocationType, LogType, Qualifier, ClientContext) and EventBridge's PutEvents request with its PutEventsRequestEntry.
/// </summary>
public static class IntegrationParameters
{
    public static IReadOnlyList<string> LambdaInvoke { get; } = ["FunctionName", "Payload", "InvocationType", "Qualifier", "ClientContext", "LogType"];

    public static IReadOnlyList<string> PutEvents { get; } = ["Entries", "EndpointId"];

    public static IReadOnlyList<string> PutEventsEntry { get; } = ["Detail", "DetailType", "EventBusName", "Resources", "Source", "Time", "TraceHeader"];

    /// <summary>
    /// Problems with a Task's Parameters for <paramref name="resource"/>, as (field path, message). Keys ending in
    /// ".$" are checked by their name without the suffix; dynamic values (an Entries.$ path, say) are left to run time.
    /// </summary>
    public static IEnumerable<(string Field, string Message)> Check(string resource, JsonNode? parameters)
    {
        if (parameters is not JsonObject p)
        {
            yield break;
        }

        if (resource == TaskResource.LambdaInvoke)
        {
            foreach (var problem in Unknown(p, LambdaInvoke, "Parameters", "lambda:invoke"))
            {
                yield return problem;
            }

            if (p["InvocationType"] is JsonValue type && type.TryGetValue<string>(out var t) && t != "RequestResponse")
            {
                yield return ("Parameters.InvocationType", $"'{t}' is not supported by this engine (only RequestResponse: the task waits for the function's result)");
            }
        }
        else if (resource == TaskResource.EventsPutEvents)
        {
            foreach (var problem in Unknown(p, PutEvents, "Parameters", "events:putEvents"))
            {
                yield return problem;
            }

            if (p["Entries"] is JsonArray entries)
            {
                for (var i = 0; i < entries.Count; i++)
                {
                    if (entries[i] is JsonObject entry)
                    {
                        foreach (var problem in Unknown(entry, PutEventsEntry, $"Parameters.Entries[{i}]", "a PutEvents entry"))
                        {
                            yield return problem;
                        }
                    }
                }
            }
        }
    }

    /// <summary>The names in <paramref name="o"/> (".$" removed) that <paramref name="allowed"/> does not list.</summary>
    public static IEnumerable<(string Field, string Message)> Unknown(JsonObject o, IReadOnlyList<string> allowed, string at, string what)
    {
        ArgumentNullException.ThrowIfNull(o);
        foreach (var key in o.Select(kv => kv.Key))
        {
            var name = key.EndsWith(".$", StringComparison.Ordinal) ? key[..^2] : key;
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                yield return ($"{at}.{key}", $"'{name}' is not a parameter of {what} (allowed: {string.Join(", ", allowed)})");
            }
        }
    }
}
