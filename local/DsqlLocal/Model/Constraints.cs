using System.Text.RegularExpressions;

namespace DsqlLocal.Model;

/// <summary>Member constraints copied from the shapes of service-2.json (patterns are anchored here because
/// Smithy patterns must match the whole value).</summary>
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

    [GeneratedRegex("^[a-z0-9]{26}$")]
    public static partial Regex ClusterId();

    [GeneratedRegex("^[!-~]+$")]
    public static partial Regex ClientToken();

    [GeneratedRegex("^[a-zA-Z0-9_.:/=+\\-@ ]*$")]
    public static partial Regex Tag();

    [GeneratedRegex("^[a-zA-Z0-9:/_-]+$")]
    public static partial Regex KmsKey();

    [GeneratedRegex("^arn:aws(-[^:]+)?:dsql:(?<region>[a-z0-9-]{1,20}):(?<account>[0-9]{12}):cluster/(?<id>[a-z0-9]{26})$")]
    public static partial Regex ClusterArn();

    [GeneratedRegex("^arn:.+$", RegexOptions.Singleline)]
    public static partial Regex Arn();

    [GeneratedRegex(RegionNamePattern)]
    public static partial Regex RegionName();
}
