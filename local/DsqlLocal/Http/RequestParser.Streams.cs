using System.Text.Json;
using DsqlLocal.Model;

namespace DsqlLocal.Http;

/// <summary>The cluster policy and stream operations' inputs.</summary>
internal static partial class RequestParser
{
    private const string KinesisStreamArnPattern = "arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+";
    private const string RoleArnPattern = "arn:aws(-[^:]+)?:iam::[0-9]{12}:role(/[a-zA-Z0-9+=,.@_-]+)+";

    public static PutClusterPolicyInput ParsePutPolicy(string identifier, ReadOnlySpan<byte> body)
    {
        using var doc = ParseObject(body);
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors);
        string? policy = null;
        string? expected = null;
        string? token = null;
        var bypass = false;
        foreach (var member in doc.RootElement.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (member.Name)
            {
                case "policy":
                    policy = ReadPolicy(member.Value, member.Name, errors);
                    break;
                case "bypassPolicyLockoutSafetyCheck":
                    bypass = ReadBool(member.Value, member.Name, errors) ?? false;
                    break;
                case "expectedPolicyVersion":
                    expected = ReadString(member.Value, member.Name, errors);
                    break;
                case "clientToken":
                    token = ReadClientToken(member.Value, member.Name, errors);
                    break;
                default:
                    Unknown(member, "PutClusterPolicyInput", errors);
                    break;
            }
        }

        if (policy is null && !errors.Any)
        {
            errors.AddRaw("policy", "Value null at 'policy' failed to satisfy constraint: Member must not be null");
        }

        errors.ThrowIfAny();
        return new PutClusterPolicyInput
        {
            Identifier = identifier,
            Policy = policy!,
            BypassPolicyLockoutSafetyCheck = bypass,
            ExpectedPolicyVersion = expected,
            ClientToken = token,
            Fingerprint = Fingerprint("PutClusterPolicy", identifier, doc.RootElement),
        };
    }

    public static DeleteClusterPolicyInput ParseDeletePolicy(string identifier, RawQuery query)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors);
        var token = query.Single("client-token");
        if (token is not null)
        {
            ValidateClientToken(token, "clientToken", errors);
        }

        var expected = query.Single("expected-policy-version");
        errors.ThrowIfAny();
        return new DeleteClusterPolicyInput
        {
            Identifier = identifier,
            ExpectedPolicyVersion = expected,
            ClientToken = token,
            Fingerprint = $"DeleteClusterPolicy\n{identifier}\n{expected}",
        };
    }

    public static CreateStreamInput ParseCreateStream(string clusterIdentifier, ReadOnlySpan<byte> body)
    {
        using var doc = ParseObject(body);
        var errors = new FieldErrors();
        ValidateIdentifier(clusterIdentifier, errors, "clusterIdentifier");
        (string Stream, string Role)? target = null;
        string? ordering = null;
        string? format = null;
        string? token = null;
        Dictionary<string, string>? tags = null;
        foreach (var member in doc.RootElement.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (member.Name)
            {
                case "targetDefinition":
                    target = ReadTarget(member.Value, errors);
                    break;
                case "ordering":
                    ordering = ReadEnum(member.Value, member.Name, ["UNORDERED"], errors);
                    break;
                case "format":
                    format = ReadEnum(member.Value, member.Name, ["JSON"], errors);
                    break;
                case "tags":
                    tags = ReadTags(member.Value, member.Name, errors);
                    break;
                case "clientToken":
                    token = ReadClientToken(member.Value, member.Name, errors);
                    break;
                default:
                    Unknown(member, "CreateStreamInput", errors);
                    break;
            }
        }

        // Required members: missing (or null) ones are reported by name; present but invalid ones already were.
        foreach (var name in new[] { "targetDefinition", "ordering", "format" })
        {
            if (!doc.RootElement.TryGetProperty(name, out var given) || given.ValueKind == JsonValueKind.Null)
            {
                errors.AddRaw(name, $"Value null at '{name}' failed to satisfy constraint: Member must not be null");
            }
        }

        errors.ThrowIfAny();
        return new CreateStreamInput
        {
            ClusterIdentifier = clusterIdentifier,
            KinesisStreamArn = target!.Value.Stream,
            RoleArn = target.Value.Role,
            Ordering = ordering!,
            Format = format!,
            Tags = tags,
            ClientToken = token,
            Fingerprint = Fingerprint("CreateStream", clusterIdentifier, doc.RootElement),
        };
    }

    public static (string Cluster, string Stream) ParseStreamIds(string clusterIdentifier, string streamIdentifier)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(clusterIdentifier, errors, "clusterIdentifier");
        ValidateIdentifier(streamIdentifier, errors, "streamIdentifier");
        errors.ThrowIfAny();
        return (clusterIdentifier, streamIdentifier);
    }

    public static DeleteStreamInput ParseDeleteStream(string clusterIdentifier, string streamIdentifier, RawQuery query)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(clusterIdentifier, errors, "clusterIdentifier");
        ValidateIdentifier(streamIdentifier, errors, "streamIdentifier");
        var token = query.Single("client-token");
        if (token is not null)
        {
            ValidateClientToken(token, "clientToken", errors);
        }

        errors.ThrowIfAny();
        return new DeleteStreamInput
        {
            ClusterIdentifier = clusterIdentifier,
            StreamIdentifier = streamIdentifier,
            ClientToken = token,
            Fingerprint = $"DeleteStream\n{clusterIdentifier}\n{streamIdentifier}",
        };
    }

    public static string ParseClusterIdentifier(string identifier, string member)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors, member);
        errors.ThrowIfAny();
        return identifier;
    }

    private static string? ReadPolicy(JsonElement value, string path, FieldErrors errors)
    {
        var policy = ReadString(value, path, errors);
        if (policy is null)
        {
            return null;
        }

        var before = errors.Any;
        errors.Length(path, policy, 1, Constraints.MaxPolicyLength);
        if (before == errors.Any && PolicyDocument.Problem(policy) is { } problem)
        {
            errors.Add(path, policy, "Member must be a valid JSON policy document: " + problem);
        }

        return policy;
    }

    private static string? ReadEnum(JsonElement value, string path, string[] allowed, FieldErrors errors)
    {
        var text = ReadString(value, path, errors);
        if (text is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            errors.Add(path, text, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        }

        return text;
    }

    private static (string Stream, string Role)? ReadTarget(JsonElement value, FieldErrors errors)
    {
        const string path = "targetDefinition";
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, value.GetRawText(), "Member must be a structure");
            return null;
        }

        // A union: exactly one member must be set, and kinesis is the only one the model has.
        var members = value.EnumerateObject().Where(m => m.Value.ValueKind != JsonValueKind.Null).ToList();
        if (members.Count != 1 || members[0].Name != "kinesis")
        {
            errors.AddRaw(path, $"Value at '{path}' failed to satisfy constraint: Member must have exactly one member set, and the only member of TargetDefinition is kinesis");
            return null;
        }

        var kinesis = members[0].Value;
        if (kinesis.ValueKind != JsonValueKind.Object)
        {
            errors.Add("targetDefinition.kinesis", kinesis.GetRawText(), "Member must be a structure");
            return null;
        }

        string? stream = null;
        string? role = null;
        foreach (var member in kinesis.EnumerateObject())
        {
            var memberPath = "targetDefinition.kinesis." + member.Name;
            switch (member.Name)
            {
                case "streamArn":
                    stream = ReadString(member.Value, memberPath, errors);
                    if (stream is not null)
                    {
                        errors.Length(memberPath, stream, 1, 2048);
                        errors.Pattern(memberPath, stream, Constraints.KinesisStreamArn(), KinesisStreamArnPattern);
                    }

                    break;
                case "roleArn":
                    role = ReadString(member.Value, memberPath, errors);
                    if (role is not null)
                    {
                        errors.Length(memberPath, role, 20, 2048);
                        errors.Pattern(memberPath, role, Constraints.RoleArn(), RoleArnPattern);
                    }

                    break;
                default:
                    errors.AddRaw(memberPath, $"Value at '{memberPath}' failed to satisfy constraint: Member is not a member of KinesisTargetDefinition");
                    break;
            }
        }

        foreach (var (name, present) in new[] { ("streamArn", stream is not null), ("roleArn", role is not null) })
        {
            if (!present && !kinesis.TryGetProperty(name, out _))
            {
                errors.AddRaw($"targetDefinition.kinesis.{name}", $"Value null at 'targetDefinition.kinesis.{name}' failed to satisfy constraint: Member must not be null");
            }
        }

        return stream is null || role is null ? null : (stream, role);
    }
}
