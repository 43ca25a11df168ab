using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DsqlLocal.Faults;

/// <summary>
/// The JSON form of <see cref="FaultSettings"/> used by the config file and the admin endpoint. Outage
/// start/end accept a number (seconds after server start) or an ISO-8601 timestamp string.
/// </summary>
internal static class FaultSettingsJson
{
    public static FaultSettings Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("faults must be a JSON object with 'rules' and/or 'outages'.");
        }

        var rules = new List<FaultRule>();
        var outages = new List<OutageWindow>();
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "rules":
                    rules.AddRange(Array(member.Value, "rules").Select(ParseRule));
                    break;
                case "outages":
                    outages.AddRange(Array(member.Value, "outages").Select(ParseOutage));
                    break;
                default:
                    throw new FormatException($"Unknown member '{member.Name}' in faults (expected 'rules' or 'outages').");
            }
        }

        var settings = new FaultSettings { Rules = rules, Outages = outages };
        FaultValidation.Validate(settings);
        return settings;
    }

    public static string Serialize(FaultSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("rules");
            foreach (var rule in settings.Rules)
            {
                writer.WriteStartObject();
                writer.WriteString("operation", rule.Operation);
                writer.WriteString("region", rule.Region);
                writer.WriteNumber("throttleRate", rule.ThrottleRate);
                writer.WriteNumber("retryAfterSeconds", rule.RetryAfterSeconds);
                writer.WriteNumber("internalErrorRate", rule.InternalErrorRate);
                writer.WriteNumber("accessDeniedRate", rule.AccessDeniedRate);
                writer.WriteNumber("latencyMs", rule.LatencyMs);
                if (rule.CreateFailureRate > 0)
                {
                    // Written only when set, so settings without it read back exactly as before.
                    writer.WriteNumber("createFailureRate", rule.CreateFailureRate);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("outages");
            foreach (var outage in settings.Outages)
            {
                writer.WriteStartObject();
                writer.WriteString("region", outage.Region);
                WriteTime(writer, "start", outage.Start);
                WriteTime(writer, "end", outage.End);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Parses a textual time: seconds after start ("60") or an ISO-8601 timestamp.</summary>
    public static FaultTime ParseTime(string text, string name)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return SecondsAfterStart(seconds, name);
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return FaultTime.FromTimestamp(at);
        }

        throw new FormatException($"'{name}' must be seconds after server start or an ISO-8601 timestamp, not '{text}'.");
    }

    private static FaultTime SecondsAfterStart(double seconds, string name) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds / 2
            ? FaultTime.FromSecondsAfterStart(seconds)
            : throw new FormatException($"'{name}' must be a finite number of seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}.");

    public static double Rate(double value, string name) =>
        value is >= 0 and <= 1 ? value : throw new FormatException($"'{name}' must be between 0 and 1, not {value.ToString(CultureInfo.InvariantCulture)}.");

    private static JsonElement.ArrayEnumerator Array(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw new FormatException($"'{name}' must be a JSON array.");

    private static FaultRule ParseRule(JsonElement element)
    {
        RequireObject(element, "rules[]");
        var rule = new FaultRule();
        foreach (var member in element.EnumerateObject())
        {
            rule = member.Name switch
            {
                "operation" => rule with { Operation = Text(member) },
                "region" => rule with { Region = Text(member) },
                "throttleRate" => rule with { ThrottleRate = Rate(Number(member), member.Name) },
                "retryAfterSeconds" => rule with { RetryAfterSeconds = NonNegativeInt(member) },
                "internalErrorRate" => rule with { InternalErrorRate = Rate(Number(member), member.Name) },
                "accessDeniedRate" => rule with { AccessDeniedRate = Rate(Number(member), member.Name) },
                "latencyMs" => rule with { LatencyMs = NonNegativeInt(member) },
                "createFailureRate" => rule with { CreateFailureRate = Rate(Number(member), member.Name) },
                _ => throw new FormatException($"Unknown member '{member.Name}' in a fault rule."),
            };
        }

        return rule;
    }

    private static OutageWindow ParseOutage(JsonElement element)
    {
        RequireObject(element, "outages[]");
        var outage = new OutageWindow();
        foreach (var member in element.EnumerateObject())
        {
            outage = member.Name switch
            {
                "region" => outage with { Region = Text(member) },
                "start" => outage with { Start = Time(member) },
                "end" => outage with { End = Time(member) },
                _ => throw new FormatException($"Unknown member '{member.Name}' in an outage window."),
            };
        }

        return outage;
    }

    private static FaultTime? Time(JsonProperty member) => member.Value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.Number => SecondsAfterStart(member.Value.GetDouble(), member.Name),
        JsonValueKind.String => ParseTime(member.Value.GetString()!, member.Name),
        _ => throw new FormatException($"'{member.Name}' must be a number of seconds or an ISO-8601 string."),
    };

    private static void WriteTime(Utf8JsonWriter writer, string name, FaultTime? time)
    {
        if (time is not { } value)
        {
            writer.WriteNull(name);
        }
        else if (value.At is { } at)
        {
            writer.WriteString(name, at.ToString("O", CultureInfo.InvariantCulture));
        }
        else
        {
            writer.WriteNumber(name, value.AfterStart!.Value.TotalSeconds);
        }
    }

    private static void RequireObject(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"Each entry of {name} must be a JSON object.");
        }
    }

    private static string Text(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString()! : throw new FormatException($"'{member.Name}' must be a string.");

    private static double Number(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.Number ? member.Value.GetDouble() : throw new FormatException($"'{member.Name}' must be a number.");

    private static int NonNegativeInt(JsonProperty member) =>
        member.Value.ValueKind == JsonValueKind.Number && member.Value.TryGetInt32(out var value) && value >= 0
            ? value
            : throw new FormatException($"'{member.Name}' must be a non-negative integer.");
}
