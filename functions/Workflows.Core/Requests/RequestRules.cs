using System.Text.RegularExpressions;
using Workflows.Core.Dsql;
using Workflows.Core.Errors;

namespace Workflows.Core.Requests;

/// <summary>
/// The checks every payload shares. Each throws <see cref="InvalidRequestException"/> naming the field and the
/// rule, so a bad request stops before any DSQL call.
/// </summary>
public static partial class RequestRules
{
    /// <summary>Tag keys with these prefixes belong to AWS or to the workflows themselves.</summary>
    public static readonly IReadOnlyList<string> ReservedTagPrefixes = ["aws:", "workflows:"];

    /// <summary>
    /// The tag the create steps add: the run that made the cluster (the execution name, or "key:" + the request's
    /// idempotencyKey). The IAM policies of the mutating functions require it.
    /// </summary>
    public const string ExecutionTagKey = "workflows:execution";

    /// <summary>The second tag the create steps add: the state machine, since execution names are unique only within one.</summary>
    public const string StateMachineTagKey = "workflows:state-machine";

    /// <summary>DSQL's TagMap limit (service-2.json) less the tags the workflows add themselves.</summary>
    public const int MaxUserTags = 200 - 2;

    public const int MaxIdempotencyKeyLength = 64;

    public const int MaxTagKeyLength = 128;
    public const int MaxTagValueLength = 256;

    [GeneratedRegex("^[a-z0-9]{26}$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterId();

    [GeneratedRegex("^[a-zA-Z0-9_.:/=+\\-@ ]*$", RegexOptions.CultureInvariant)]
    private static partial Regex TagText();

    [GeneratedRegex("^arn:aws(-[a-z]+)*:dsql:(?<region>[a-z0-9-]{1,20}):(?<account>[0-9]{12}):cluster/(?<id>[a-z0-9]{26})$", RegexOptions.CultureInvariant)]
    private static partial Regex ClusterArn();

    public const int MaxExecutionNameLength = 80;

    /// <summary>What StartExecution refuses in a name besides whitespace and control characters.</summary>
    private static readonly char[] ForbiddenExecutionNameCharacters = ['<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/'];

    // Tag-value safe (it becomes part of one) and clientToken safe.
    [GeneratedRegex("^[a-zA-Z0-9_.:/=+\\-@]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex IdempotencyKey();

    [GeneratedRegex("^arn:aws(-[a-z]+)*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[!-~]{1,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex StateMachineArn();

    public static string Region(string? value, string field)
    {
        var region = Required(value, field);
        if (!DsqlEndpointResolver.IsValidRegion(region))
        {
            throw new InvalidRequestException(field, $"'{region}' is not an AWS Region name (expected e.g. us-east-1)");
        }

        return region;
    }

    public static string ClusterIdentifier(string? value, string field)
    {
        var id = Required(value, field);
        if (!ClusterId().IsMatch(id))
        {
            throw new InvalidRequestException(field, $"'{id}' is not a cluster identifier (26 characters a-z and 0-9)");
        }

        return id;
    }

    /// <summary>Parses a DSQL cluster ARN into its Region and identifier.</summary>
    public static (string Region, string Identifier) ClusterArnParts(string? value, string field)
    {
        var arn = Required(value, field);
        var match = ClusterArn().Match(arn);
        if (!match.Success || !DsqlEndpointResolver.IsValidRegion(match.Groups["region"].Value))
        {
            throw new InvalidRequestException(field, $"'{arn}' is not a DSQL cluster ARN (arn:aws:dsql:<region>:<account>:cluster/<identifier>)");
        }

        return (match.Groups["region"].Value, match.Groups["id"].Value);
    }

    /// <summary>
    /// Step Functions' rule for an execution name (StartExecution): 1 to 80 characters, no whitespace, no control
    /// characters (U+0000-U+001F, U+007F-U+009F) and none of <c>&lt; &gt; { } [ ] ? * " # % \ ^ | ~ ` $ &amp; , ; : /</c>.
    /// Every such name works in the workflows (a name that is not tag-safe is tagged by its hash), so a tool that
    /// starts executions should check names with this before starting one.
    /// </summary>
    public static bool IsValidExecutionName(string? name) =>
        name is { Length: >= 1 and <= MaxExecutionNameLength } && name.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not (>= '\u007F' and <= '\u009F') && !ForbiddenExecutionNameCharacters.Contains(c));

    public static string ExecutionNameOf(string? value, string field)
    {
        var name = Required(value, field);
        if (!IsValidExecutionName(name))
        {
            throw new InvalidRequestException(field, $"'{name}' is not an execution name Step Functions accepts: 1 to {MaxExecutionNameLength} characters, no whitespace or control characters, none of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /");
        }

        return name;
    }

    public static string? StateMachineArnOf(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (!StateMachineArn().IsMatch(value))
        {
            throw new InvalidRequestException(field, $"'{value}' is not a state machine ARN (arn:aws:states:<region>:<account>:stateMachine:<name>)");
        }

        return value;
    }

    /// <summary>An optional idempotencyKey: absent (null) or 1 to 64 characters of a-z, A-Z, 0-9 and _ . : / = + - @.</summary>
    public static string? IdempotencyKeyOf(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (!IdempotencyKey().IsMatch(value))
        {
            throw new InvalidRequestException(field, $"'{value}' must be 1 to {MaxIdempotencyKeyLength} characters of a-z, A-Z, 0-9 and _ . : / = + - @");
        }

        return value;
    }

    /// <summary>Checks the three Regions of a multi-Region pair: each well formed, all distinct.</summary>
    public static void DistinctRegions(string primary, string primaryField, string peer, string peerField, string witness, string witnessField)
    {
        if (peer == primary)
        {
            throw new InvalidRequestException(peerField, $"must differ from {primaryField} ({primary})");
        }

        if (witness == primary)
        {
            throw new InvalidRequestException(witnessField, $"must differ from {primaryField} ({primary})");
        }

        if (witness == peer)
        {
            throw new InvalidRequestException(witnessField, $"must differ from {peerField} ({peer})");
        }
    }

    /// <summary>Checks user tags against DSQL's TagMap rules and the reserved prefixes; returns a copy.</summary>
    public static IReadOnlyDictionary<string, string> Tags(IReadOnlyDictionary<string, string?>? tags, string field)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (tags is null)
        {
            return result;
        }

        if (tags.Count > MaxUserTags)
        {
            throw new InvalidRequestException(field, $"has {tags.Count} tags; at most {MaxUserTags} are allowed (DSQL allows 200 and the workflows add {ExecutionTagKey} and {StateMachineTagKey})");
        }

        foreach (var (key, value) in tags)
        {
            var at = $"{field}.{key}";
            TagKey(key, field);
            if (value is null)
            {
                throw new InvalidRequestException(at, "must be a string");
            }

            if (value.Length > MaxTagValueLength)
            {
                throw new InvalidRequestException(at, $"must be at most {MaxTagValueLength} characters long");
            }

            if (!TagText().IsMatch(value))
            {
                throw new InvalidRequestException(at, "may only contain letters, digits, spaces and _ . : / = + - @");
            }

            result[key] = value;
        }

        return result;
    }

    /// <summary>
    /// Tag keys to remove (UntagResource): the same key rules as <see cref="Tags"/>, the reserved prefixes refused
    /// (the workflows' own tags are what their IAM conditions and the clean-up's search rely on), duplicates dropped.
    /// </summary>
    public static IReadOnlyList<string> TagKeys(IReadOnlyList<string?>? keys, string field)
    {
        if (keys is null)
        {
            return [];
        }

        if (keys.Count > MaxUserTags)
        {
            throw new InvalidRequestException(field, $"has {keys.Count} keys; at most {MaxUserTags} can be removed (DSQL allows 200 tags and the workflows' own 2 are never removed)");
        }

        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            result.Add(TagKey(key ?? throw new InvalidRequestException(field, "tag keys must be strings"), field));
        }

        return [.. result];
    }

    private static string TagKey(string key, string field)
    {
        if (key.Length is 0 or > MaxTagKeyLength)
        {
            throw new InvalidRequestException(field, $"tag key '{key}' must be 1 to {MaxTagKeyLength} characters long");
        }

        if (!TagText().IsMatch(key))
        {
            throw new InvalidRequestException(field, $"tag key '{key}' may only contain letters, digits, spaces and _ . : / = + - @");
        }

        if (ReservedTagPrefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } prefix)
        {
            throw new InvalidRequestException(field, $"tag key '{key}' uses the reserved prefix '{prefix}'");
        }

        return key;
    }

    public static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw new InvalidRequestException(field, "is required") : value;

    public static T Required<T>(T? value, string field)
        where T : class =>
        value ?? throw new InvalidRequestException(field, "is required");

    public static T Required<T>(T? value, string field)
        where T : struct =>
        value ?? throw new InvalidRequestException(field, "is required");

    public static int InRange(long value, int min, int max, string field) =>
        value < min || value > max ? throw new InvalidRequestException(field, $"must be between {min} and {max}, not {value}") : (int)value;
}
