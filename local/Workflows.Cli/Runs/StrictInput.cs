using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Workflows.Core.Requests;
using Workflows.Core.Steps;

namespace Workflows.Cli.Runs;

/// <summary>
/// The CLI's own rules for the JSON documents it reads (--input of provision, update and teardown, and --input of
/// run): nesting no deeper than <see cref="MaxDepth"/>, and in a request no member the request's contract does not
/// name, at any level. The functions are more forgiving on purpose (a cluster reference there skips unknown members,
/// so a step's output can be chained as it is); a person typing a request wants a typo named, not ignored.
/// </summary>
internal static class StrictInput
{
    /// <summary>
    /// The input depth limit: objects and arrays nested more than this many levels are refused. Inferred: the
    /// default depth of System.Text.Json's reader (64), which a Step Functions input of any sensible shape stays
    /// well under; named here so the error can say which limit was hit.
    /// </summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// A cluster reference may be a whole ClusterInfo from a provision's output (README, "Start from the console":
    /// paste the output's primary and peer): those members are known, so accepted and ignored; any other is refused.
    /// </summary>
    private static readonly string[] ClusterInfoMembers =
        ["status", "endpoint", "witnessRegion", "linkedClusterArns", "deletionProtectionEnabled", "creationTime"];

    /// <exception cref="UsageException">Deeper than <see cref="MaxDepth"/>, naming the line.</exception>
    public static void CheckDepth(string json, string source)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        // One level of headroom, so the reader itself never throws at the limit: this loop reports it first.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= MaxDepth)
                {
                    var line = 1 + bytes.AsSpan(0, (int)reader.TokenStartIndex).Count((byte)'\n');
                    throw new UsageException($"{source} nests objects and arrays more than {MaxDepth} levels deep (line {line}); the input depth limit is {MaxDepth}");
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON at all: the caller's parse reports it with line and column.
        }
    }

    /// <summary>Every member of the request, at every level, is one its contract names.</summary>
    /// <exception cref="UsageException">The first unknown member, by its path.</exception>
    public static void CheckMembers(string json, string workflow, string source)
    {
        var root = workflow switch
        {
            "provision" => StepJsonContext.Default.ProvisionRequestInput,
            "update" => StepJsonContext.Default.UpdateRequestInput,
            "teardown" => (JsonTypeInfo)StepJsonContext.Default.TeardownRequestInput,
            _ => throw new ArgumentOutOfRangeException(nameof(workflow), workflow, "not a pair workflow"),
        };
        if (JsonNode.Parse(json) is JsonObject document)
        {
            Check(document, root, string.Empty, workflow, source);
        }
    }

    private static void Check(JsonObject value, JsonTypeInfo contract, string path, string workflow, string source)
    {
        var members = contract.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var isClusterRef = contract.Type == typeof(ClusterRefInput);
        foreach (var (name, child) in value)
        {
            var at = path.Length == 0 ? name : $"{path}.{name}";
            if (!members.TryGetValue(name, out var member))
            {
                if (isClusterRef && ClusterInfoMembers.Contains(name, StringComparer.Ordinal))
                {
                    continue;
                }

                var known = string.Join(", ", members.Keys.Concat(isClusterRef ? ClusterInfoMembers : []));
                var article = workflow == "update" ? "an" : "a";
                throw new UsageException($"{source}: {at} is not a member of {article} {workflow} request{(path.Length == 0 ? string.Empty : $"'s {path}")} (unknown members are refused at every level; known here: {known})");
            }

            // Objects whose members are the contract's own (not free-form maps such as tags) are checked in turn.
            if (child is JsonObject nested
                && contract.Options.TryGetTypeInfo(Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType, out var inner)
                && inner.Kind == JsonTypeInfoKind.Object)
            {
                Check(nested, inner, at, workflow, source);
            }
        }
    }
}
