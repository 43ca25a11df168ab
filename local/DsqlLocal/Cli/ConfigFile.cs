using System.Text.Json;
using DsqlLocal.Faults;

namespace DsqlLocal.Cli;

/// <summary>Applies a JSON config file (every CLI option, plus access keys and faults) to the options.</summary>
internal static class ConfigFile
{
    public static void Apply(DsqlLocalOptions options, string path)
    {
        if (!File.Exists(path))
        {
            throw new FormatException($"--config: file '{path}' does not exist.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"--config: '{path}' is not valid JSON: {ex.Message}", ex);
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"--config: '{path}' must hold a JSON object.");
            }

            try
            {
                foreach (var member in doc.RootElement.EnumerateObject())
                {
                    ApplyMember(options, member);
                }
            }
            catch (InvalidOperationException ex)
            {
                // A string holding an unpaired surrogate escape ("\ud800") cannot be read.
                throw new FormatException($"--config: '{path}' holds a string that is not valid Unicode: {ex.Message}", ex);
            }
        }
    }

    private static void ApplyMember(DsqlLocalOptions options, JsonProperty member)
    {
        var value = member.Value;
        var name = member.Name;
        switch (name)
        {
            case "host":
                options.Host = String(value, name);
                break;
            case "port":
                options.Port = Int(value, name);
                break;
            case "accountId":
                options.AccountId = String(value, name);
                break;
            case "provisioningSeconds":
                options.ProvisioningTime = TimeSpan.FromSeconds(Number(value, name));
                break;
            case "deletionSeconds":
                options.DeletionTime = TimeSpan.FromSeconds(Number(value, name));
                break;
            case "updatingSeconds":
                options.UpdatingTime = TimeSpan.FromSeconds(Number(value, name));
                break;
            case "idleAfterSeconds":
                options.IdleAfter = value.ValueKind == JsonValueKind.Null ? null : TimeSpan.FromSeconds(Number(value, name));
                break;
            case "inactiveAfterSeconds":
                options.InactiveAfter = value.ValueKind == JsonValueKind.Null ? null : TimeSpan.FromSeconds(Number(value, name));
                break;
            case "reactivationSeconds":
                options.ReactivationTime = TimeSpan.FromSeconds(Number(value, name));
                break;
            case "bodyReadTimeoutSeconds":
                options.BodyReadTimeout = TimeSpan.FromSeconds(Number(value, name));
                break;
            case "regions":
                options.Regions = Strings(value, name);
                break;
            case "witnessRegions":
                options.WitnessRegions = Strings(value, name);
                break;
            case "unknownRegion":
                options.UnknownRegion = String(value, name) switch
                {
                    "unreachable" => UnknownRegionBehavior.Unreachable,
                    "serve" => UnknownRegionBehavior.Serve,
                    _ => throw Bad(name, "\"unreachable\" or \"serve\""),
                };
                break;
            case "statusRules":
                if (value.ValueKind != JsonValueKind.Object)
                {
                    throw Bad(name, "an object mapping a cluster status to the operations it refuses");
                }

                // Replaces the defaults for the statuses it names; the others keep theirs.
                foreach (var rule in value.EnumerateObject())
                {
                    options.RefusedOperations[rule.Name] = Strings(rule.Value, $"{name}.{rule.Name}");
                }

                break;
            case "timeScale":
                options.TimeScale = Number(value, name);
                break;
            case "dataFile":
                options.DataFile = String(value, name);
                break;
            case "seed":
                options.Seed = Int(value, name);
                break;
            case "multiRegionQuota":
                options.MultiRegionQuota = Int(value, name);
                break;
            case "singleRegionQuota":
                options.SingleRegionQuota = Int(value, name);
                break;
            case "verbose":
                options.Verbose = value.ValueKind == JsonValueKind.True || (value.ValueKind != JsonValueKind.False ? throw Bad(name, "a boolean") : false);
                break;
            case "accessKeys":
                if (value.ValueKind != JsonValueKind.Array)
                {
                    throw Bad(name, "an array of {\"accessKeyId\", \"secretAccessKey\"} objects");
                }

                foreach (var key in value.EnumerateArray())
                {
                    if (key.ValueKind != JsonValueKind.Object
                        || !key.TryGetProperty("accessKeyId", out var id) || id.ValueKind != JsonValueKind.String
                        || !key.TryGetProperty("secretAccessKey", out var secret) || secret.ValueKind != JsonValueKind.String)
                    {
                        throw Bad(name, "an array of {\"accessKeyId\", \"secretAccessKey\"} objects");
                    }

                    options.AccessKeys.Add(new AccessKeyPair(id.GetString()!, secret.GetString()!));
                }

                break;
            case "iam":
                ApplyIam(options, value);
                break;
            case "faults":
                FaultSettings parsed;
                try
                {
                    parsed = FaultSettingsJson.Parse(value);
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"--config: faults: {ex.Message}", ex);
                }

                options.Faults = new FaultSettings
                {
                    Rules = [.. options.Faults.Rules, .. parsed.Rules],
                    Outages = [.. options.Faults.Outages, .. parsed.Outages],
                };
                break;
            default:
                throw new FormatException($"--config: unknown setting '{name}'.");
        }
    }

    /// <summary>
    /// <c>"iam": {"enforce": true, "principals": [{"accessKeyId", "secretAccessKey", "arn", "policies": [policy, ...]}]}</c>;
    /// a policy is a JSON object or a string holding one.
    /// </summary>
    private static void ApplyIam(DsqlLocalOptions options, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad("iam", "an object with \"enforce\" and \"principals\"");
        }

        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case "enforce":
                    options.Iam.Enforce = member.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Bad("iam.enforce", "a boolean"),
                    };
                    break;
                case "principals":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Bad("iam.principals", "an array of {\"accessKeyId\", \"secretAccessKey\", \"arn\", \"policies\"} objects");
                    }

                    var index = 0;
                    foreach (var principal in member.Value.EnumerateArray())
                    {
                        options.Iam.Principals.Add(Principal(principal, $"iam.principals[{index++}]"));
                    }

                    break;
                default:
                    throw new FormatException($"--config: unknown setting 'iam.{member.Name}' (enforce, principals).");
            }
        }
    }

    private static Iam.IamPrincipal Principal(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Bad(name, "an object with accessKeyId, secretAccessKey, arn and policies");
        }

        string Required(string member) =>
            value.TryGetProperty(member, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0
                ? v.GetString()!
                : throw Bad($"{name}.{member}", "a non-empty string");
        var policies = new List<string>();
        if (value.TryGetProperty("policies", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw Bad($"{name}.policies", "an array of policy documents");
            }

            foreach (var policy in list.EnumerateArray())
            {
                policies.Add(policy.ValueKind switch
                {
                    JsonValueKind.Object => policy.GetRawText(),
                    JsonValueKind.String => policy.GetString()!,
                    _ => throw Bad($"{name}.policies", "an array of policy documents (objects, or strings holding them)"),
                });
            }
        }

        return new Iam.IamPrincipal(Required("accessKeyId"), Required("secretAccessKey"), Required("arn"), policies);
    }

    private static List<string> Strings(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? value.EnumerateArray().Select(e => e.GetString()!).ToList()
            : throw Bad(name, "an array of strings");

    private static string String(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad(name, "a string");

    private static int Int(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var i) ? i : throw Bad(name, "an integer");

    private static double Number(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Bad(name, "a number");

    private static FormatException Bad(string name, string expected) => new($"--config: '{name}' must be {expected}.");
}
