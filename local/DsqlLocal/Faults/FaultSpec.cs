using System.Globalization;

namespace DsqlLocal.Faults;

/// <summary>The compact command-line forms: "op=X,region=Y,throttle=0.5,retry-after=1,internal=0.1,access-denied=1,latency=200"
/// and "region=Y,start=0,end=60".</summary>
internal static class FaultSpec
{
    public static FaultRule ParseRule(string spec)
    {
        var rule = new FaultRule();
        foreach (var (key, value) in Pairs(spec, "--fault"))
        {
            rule = key switch
            {
                "op" or "operation" => rule with { Operation = value },
                "region" => rule with { Region = value },
                "throttle" => rule with { ThrottleRate = FaultSettingsJson.Rate(Double(value, key), key) },
                "retry-after" => rule with { RetryAfterSeconds = Int(value, key) },
                "internal" => rule with { InternalErrorRate = FaultSettingsJson.Rate(Double(value, key), key) },
                "access-denied" => rule with { AccessDeniedRate = FaultSettingsJson.Rate(Double(value, key), key) },
                "latency" or "latency-ms" => rule with { LatencyMs = Int(value, key) },
                "create-failure" => rule with { CreateFailureRate = FaultSettingsJson.Rate(Double(value, key), key) },
                _ => throw new FormatException($"--fault: unknown key '{key}' (expected op, region, throttle, retry-after, internal, access-denied, latency, create-failure)."),
            };
        }

        FaultValidation.ValidateRule(rule, string.Empty);
        return rule;
    }

    public static OutageWindow ParseOutage(string spec)
    {
        var outage = new OutageWindow();
        foreach (var (key, value) in Pairs(spec, "--outage"))
        {
            outage = key switch
            {
                "region" => outage with { Region = value },
                "start" => outage with { Start = FaultSettingsJson.ParseTime(value, "--outage start") },
                "end" => outage with { End = FaultSettingsJson.ParseTime(value, "--outage end") },
                _ => throw new FormatException($"--outage: unknown key '{key}' (expected region, start, end)."),
            };
        }

        FaultValidation.ValidateOutage(outage, string.Empty);
        return outage;
    }

    private static IEnumerable<(string Key, string Value)> Pairs(string spec, string option)
    {
        foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"{option}: expected key=value, got '{part}'.");
            }

            yield return (part[..eq].Trim().ToLowerInvariant(), part[(eq + 1)..].Trim());
        }
    }

    private static double Double(string value, string key) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw new FormatException($"'{key}' must be a number, not '{value}'.");

    private static int Int(string value, string key) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : throw new FormatException($"'{key}' must be a non-negative integer, not '{value}'.");
}
