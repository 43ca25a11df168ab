using System.Text.RegularExpressions;

namespace DsqlLocal.Model;

/// <summary>Member constraints copied from the shapes of service-2.json (patterns are anchored here because
/// Smithy patterns must match the whole value; \A..\z rather than ^..$, which would let a trailing newline through).</summary>
internal static partial class Constraints
{
    public const string ClusterIdPattern = "[a-z0-9]{26}";
    public const string ClientTokenPattern = "[!-~]+";
    public const string TagPattern = "[a-zA-Z0-9_.:/=+\\-@ ]*";
    public const string KmsKeyPattern = "[a-zA-Z0-9:/_-]+";
    public const string ClusterArnPattern = "arn:aws(-[^:]+)?:dsql:[a-z0-9-]{1,20}:[0-9]{12}:cluster/[a-z0-9]{26}";
    public const string RegionNamePattern = "^[a-z]{2}(-[a-z]+)+-\\d+$";
    public const int MaxTags = 200;
    public const int MaxPolicyLength = 20480;

    [GeneratedRegex("\\A[a-z0-9]{26}\\z")]
    public static partial Regex ClusterId();

    [GeneratedRegex("\\A[!-~]+\\z")]
    public static partial Regex ClientToken();

    [GeneratedRegex("\\A[a-zA-Z0-9_.:/=+\\-@ ]*\\z")]
    public static partial Regex Tag();

    [GeneratedRegex("\\A[a-zA-Z0-9:/_-]+\\z")]
    public static partial Regex KmsKey();

    [GeneratedRegex("\\Aarn:aws(-[^:]+)?:dsql:(?<region>[a-z0-9-]{1,20}):(?<account>[0-9]{12}):cluster/(?<id>[a-z0-9]{26})\\z")]
    public static partial Regex ClusterArn();

    [GeneratedRegex("\\Aarn:.+\\z", RegexOptions.Singleline)]
    public static partial Regex Arn();

    [GeneratedRegex("\\Aarn:aws.*:kinesis:.*:\\d{12}:stream/\\S+\\z", RegexOptions.Singleline)]
    public static partial Regex KinesisStreamArn();

    [GeneratedRegex("\\Aarn:aws(-[^:]+)?:iam::[0-9]{12}:role(/[a-zA-Z0-9+=,.@_-]+)+\\z")]
    public static partial Regex RoleArn();

    /// <summary>Region syntax; see <see cref="RegionCatalog.IsRegionName"/>.</summary>
    public static bool IsRegionName(string? value) => RegionCatalog.IsRegionName(value);
}
