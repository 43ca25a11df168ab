using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using DsqlLocal.Model;

namespace DsqlLocal.Http;

/// <summary>
/// Reads request bodies and query strings member by member (rather than deserialising into records) so that
/// a wrong type or an unknown member can be reported with its exact path, as AWS's validators do.
/// </summary>
internal static partial class RequestParser
{
    private const string NotUnicode =
        "the body is not valid Unicode JSON: it holds invalid UTF-8 or an unpaired surrogate escape (such as \\ud800) in a string or member name.";

    public static CreateClusterInput ParseCreate(ReadOnlySpan<byte> body)
    {
        using var doc = ParseObject(body);
        var errors = new FieldErrors();
        var input = new CreateClusterInput { Fingerprint = Fingerprint("CreateCluster", null, doc.RootElement) };
        ReadMembers(doc.RootElement, input, "CreateClusterInput", errors, member =>
        {
            switch (member.Name)
            {
                case "tags":
                    input.Tags = ReadTags(member.Value, member.Name, errors);
                    return true;
                case "policy":
                    input.Policy = ReadPolicy(member.Value, member.Name, errors);
                    return true;
                case "bypassPolicyLockoutSafetyCheck":
                    input.BypassPolicyLockoutSafetyCheck = ReadBool(member.Value, member.Name, errors) ?? false;
                    return true;
                default:
                    return false;
            }
        });

        errors.ThrowIfAny();
        return input;
    }

    public static UpdateClusterInput ParseUpdate(string identifier, ReadOnlySpan<byte> body)
    {
        using var doc = ParseObject(body);
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors);
        var input = new UpdateClusterInput
        {
            Identifier = identifier,
            Fingerprint = Fingerprint("UpdateCluster", identifier, doc.RootElement),
        };
        ReadMembers(doc.RootElement, input, "UpdateClusterInput", errors, readOwn: null);

        errors.ThrowIfAny();
        return input;
    }

    // Reads the members Create and Update share; readOwn takes the operation's other members and says
    // whether it knew the name. A JSON null is the same as leaving the member out, as the SDKs treat it.
    private static void ReadMembers(JsonElement root, ClusterSettingsInput input, string shape, FieldErrors errors, Func<JsonProperty, bool>? readOwn)
    {
        foreach (var member in root.EnumerateObject())
        {
            var value = member.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (member.Name)
            {
                case "deletionProtectionEnabled":
                    input.DeletionProtectionEnabled = ReadBool(value, member.Name, errors);
                    break;
                case "kmsEncryptionKey":
                    input.KmsEncryptionKey = ReadKmsKey(value, member.Name, errors);
                    break;
                case "clientToken":
                    input.ClientToken = ReadClientToken(value, member.Name, errors);
                    break;
                case "multiRegionProperties":
                    input.MultiRegion = ReadMultiRegion(value, member.Name, errors);
                    break;
                default:
                    if (readOwn?.Invoke(member) != true)
                    {
                        Unknown(member, shape, errors);
                    }

                    break;
            }
        }
    }

    public static DeleteClusterInput ParseDelete(string identifier, RawQuery query)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors);
        var token = query.Single("client-token");
        if (token is not null)
        {
            ValidateClientToken(token, "clientToken", errors);
        }

        errors.ThrowIfAny();
        return new DeleteClusterInput { Identifier = identifier, ClientToken = token, Fingerprint = "DeleteCluster\n" + identifier };
    }

    public static string ParseIdentifier(string identifier)
    {
        var errors = new FieldErrors();
        ValidateIdentifier(identifier, errors);
        errors.ThrowIfAny();
        return identifier;
    }

    public static (int MaxResults, string? NextToken) ParseList(RawQuery query)
    {
        var errors = new FieldErrors();
        var maxResults = 20;
        var raw = query.Single("max-results");
        if (raw is not null)
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out maxResults))
            {
                errors.Add("maxResults", raw, "Member must be an integer");
            }
            else if (maxResults < 1)
            {
                errors.Add("maxResults", raw, "Member must have value greater than or equal to 1");
            }
            else if (maxResults > 100)
            {
                errors.Add("maxResults", raw, "Member must have value less than or equal to 100");
            }
        }

        errors.ThrowIfAny();
        return (maxResults, query.Single("next-token"));
    }

    public static string ParseResourceArn(string arn)
    {
        var errors = new FieldErrors();
        errors.Length("resourceArn", arn, 1, 1011);
        if (!errors.Any)
        {
            errors.Pattern("resourceArn", arn, Constraints.Arn(), "arn:.+");
        }

        errors.ThrowIfAny();
        return arn;
    }

    public static Dictionary<string, string> ParseTagResource(ReadOnlySpan<byte> body)
    {
        using var doc = ParseObject(body);
        var errors = new FieldErrors();
        Dictionary<string, string>? tags = null;
        foreach (var member in doc.RootElement.EnumerateObject())
        {
            if (member.Name == "tags")
            {
                if (member.Value.ValueKind != JsonValueKind.Null)
                {
                    tags = ReadTags(member.Value, member.Name, errors);
                }
            }
            else
            {
                Unknown(member, "TagResourceInput", errors);
            }
        }

        if (tags is null && !errors.Any)
        {
            errors.AddRaw("tags", "Value null at 'tags' failed to satisfy constraint: Member must not be null");
        }

        errors.ThrowIfAny();
        return tags!;
    }

    public static IReadOnlyList<string> ParseUntagKeys(RawQuery query)
    {
        var keys = query.All("tagKeys");
        var errors = new FieldErrors();
        if (keys.Count == 0)
        {
            // tagKeys is required (UntagResourceInput); a query string cannot carry an empty list, so none at all
            // means the member is missing.
            errors.AddRaw("tagKeys", "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
        }
        else if (keys.Count > Constraints.MaxTags)
        {
            errors.AddRaw("tagKeys", $"Value at 'tagKeys' failed to satisfy constraint: Member must have length less than or equal to {Constraints.MaxTags}");
        }

        foreach (var key in keys)
        {
            ValidateTagKey(key, "tagKeys.member", errors);
        }

        errors.ThrowIfAny();
        return keys;
    }

    private static JsonDocument ParseObject(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.Trim((byte)' ').IsEmpty)
        {
            return JsonDocument.Parse("{}");
        }

        // JsonDocument accepts invalid UTF-8 inside strings and escaped lone surrogates ("\ud800"); they only
        // fail later, when a string or member name is read. Reject both here, at the seam, as unparseable.
        if (!Utf8.IsValid(body))
        {
            throw Errors.CannotParse(NotUnicode);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw Errors.CannotParse(ex.Message);
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = doc.RootElement.ValueKind;
            doc.Dispose();
            throw Errors.CannotParse($"the body must be a JSON object, not {kind}.");
        }

        try
        {
            EnsureStringsDecode(doc.RootElement);
        }
        catch (InvalidOperationException)
        {
            doc.Dispose();
            throw Errors.CannotParse(NotUnicode);
        }

        return doc;
    }

    /// <summary>Decodes every member name and string once, so that later reads cannot throw.</summary>
    private static void EnsureStringsDecode(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    _ = member.Name;
                    EnsureStringsDecode(member.Value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    EnsureStringsDecode(item);
                }

                break;
            case JsonValueKind.String:
                _ = element.GetString();
                break;
        }
    }

    private static void Unknown(JsonProperty member, string shape, FieldErrors errors) =>
        errors.AddRaw(member.Name, $"Value at '{member.Name}' failed to satisfy constraint: Member is not a member of {shape}");

    private static bool? ReadBool(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add(path, value.GetRawText(), "Member must be a boolean");
        return null;
    }

    private static string? ReadString(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        errors.Add(path, value.GetRawText(), "Member must be a string");
        return null;
    }

    private static string? ReadClientToken(JsonElement value, string path, FieldErrors errors)
    {
        var token = ReadString(value, path, errors);
        if (token is not null)
        {
            ValidateClientToken(token, path, errors);
        }

        return token;
    }

    private static string? ReadKmsKey(JsonElement value, string path, FieldErrors errors)
    {
        var key = ReadString(value, path, errors);
        if (key is not null)
        {
            var before = errors.Any;
            errors.Length(path, key, 1, 2048);
            if (before == errors.Any)
            {
                errors.Pattern(path, key, Constraints.KmsKey(), Constraints.KmsKeyPattern);
            }
        }

        return key;
    }

    private static Dictionary<string, string>? ReadTags(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, value.GetRawText(), "Member must be a map of strings to strings");
            return null;
        }

        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in value.EnumerateObject())
        {
            if (tag.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{path}.{tag.Name}", tag.Value.GetRawText(), "Member must be a string");
                continue;
            }

            var tagValue = tag.Value.GetString()!;
            ValidateTagKey(tag.Name, path, errors);
            if (tagValue.Length > 256)
            {
                errors.Add(path, tagValue, "Map value must satisfy constraint: [Member must have length less than or equal to 256]");
            }
            else if (!Constraints.Tag().IsMatch(tagValue))
            {
                errors.Add(path, tagValue, $"Map value must satisfy constraint: [Member must satisfy regular expression pattern: {Constraints.TagPattern}]");
            }

            tags[tag.Name] = tagValue;
        }

        if (tags.Count > Constraints.MaxTags)
        {
            errors.AddRaw(path, $"Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {Constraints.MaxTags}");
        }

        return tags;
    }

    private static MultiRegionInput? ReadMultiRegion(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, value.GetRawText(), "Member must be a structure");
            return null;
        }

        string? witness = null;
        List<string>? clusters = null;
        foreach (var member in value.EnumerateObject())
        {
            var memberPath = $"{path}.{member.Name}";
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            switch (member.Name)
            {
                case "witnessRegion":
                    witness = ReadString(member.Value, memberPath, errors);
                    if (witness is not null)
                    {
                        errors.Length(memberPath, witness, 0, 50);
                    }

                    break;
                case "clusters":
                    clusters = ReadArnList(member.Value, memberPath, errors);
                    break;
                default:
                    errors.AddRaw(memberPath, $"Value at '{memberPath}' failed to satisfy constraint: Member is not a member of MultiRegionProperties");
                    break;
            }
        }

        return new MultiRegionInput(witness, clusters);
    }

    private static List<string>? ReadArnList(JsonElement value, string path, FieldErrors errors)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, value.GetRawText(), "Member must be a list of cluster ARNs");
            return null;
        }

        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(path, item.GetRawText(), "Member must be a list of strings");
                continue;
            }

            var arn = item.GetString()!;
            if (!Constraints.ClusterArn().IsMatch(arn))
            {
                errors.Add(path, arn, "Member must satisfy regular expression pattern: " + Constraints.ClusterArnPattern
                    + " (the peer cluster ARN is malformed)");
            }

            list.Add(arn);
        }

        return list;
    }

    private static void ValidateIdentifier(string identifier, FieldErrors errors, string member = "identifier") =>
        errors.Pattern(member, identifier, Constraints.ClusterId(), Constraints.ClusterIdPattern);

    private static void ValidateClientToken(string token, string path, FieldErrors errors)
    {
        var before = errors.Any;
        errors.Length(path, token, 1, 128);
        if (before == errors.Any)
        {
            errors.Pattern(path, token, Constraints.ClientToken(), Constraints.ClientTokenPattern);
        }
    }

    private static void ValidateTagKey(string key, string path, FieldErrors errors)
    {
        if (key.Length is < 1 or > 128)
        {
            var rule = key.Length < 1 ? "greater than or equal to 1" : "less than or equal to 128";
            errors.Add(path, key, $"Map keys must satisfy constraint: [Member must have length {rule}]");
        }
        else if (!Constraints.Tag().IsMatch(key))
        {
            errors.Add(path, key, $"Map keys must satisfy constraint: [Member must satisfy regular expression pattern: {Constraints.TagPattern}]");
        }
        else if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            // AWS reserves the prefix for its own tags in every tagging API; the wording is Inferred.
            errors.Add(path, key, "Map keys must satisfy constraint: [Member must not begin with 'aws:' (a prefix reserved for AWS use)]");
        }
    }

    /// <summary>
    /// What makes two requests "the same" for clientToken purposes: the operation, the target and every body
    /// member except the token itself, independent of member order and whitespace.
    /// </summary>
    private static string Fingerprint(string operation, string? identifier, JsonElement root)
    {
        var builder = new StringBuilder(operation).Append('\n').Append(identifier).Append('\n');
        AppendCanonical(builder, root, skipClientToken: true);
        return builder.ToString();
    }

    private static void AppendCanonical(StringBuilder builder, JsonElement element, bool skipClientToken)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                builder.Append('{');
                foreach (var member in element.EnumerateObject()
                             .Where(m => m.Value.ValueKind != JsonValueKind.Null && !(skipClientToken && m.Name == "clientToken"))
                             .OrderBy(m => m.Name, StringComparer.Ordinal))
                {
                    builder.Append(JsonSerializer.Serialize(member.Name, RequestJsonContext.Default.String)).Append(':');
                    AppendCanonical(builder, member.Value, skipClientToken: false);
                    builder.Append(',');
                }

                builder.Append('}');
                break;
            case JsonValueKind.Array:
                builder.Append('[');
                foreach (var item in element.EnumerateArray())
                {
                    AppendCanonical(builder, item, skipClientToken: false);
                    builder.Append(',');
                }

                builder.Append(']');
                break;
            default:
                builder.Append(element.GetRawText());
                break;
        }
    }
}
