using System.Text.Json.Serialization;

namespace Workflows.Core.Dsql;

// Wire shapes of the Aurora DSQL control plane (rest-json, API version 2018-05-10), member for member as
// botocore's service-2.json names them. Members that travel in the URI or query string are placed there by
// the client; the bodies it sends are the WireBodies records, which leave them out. Status is a string, not an enum, because the
// service adds statuses over time and a client must not fail on one it has not seen.

/// <summary>Cluster statuses known today (service-2.json ClusterStatus). The set is open.</summary>
public static class ClusterStatus
{
    public const string Creating = "CREATING";
    public const string Active = "ACTIVE";
    public const string Idle = "IDLE";
    public const string Inactive = "INACTIVE";
    public const string Updating = "UPDATING";
    public const string Deleting = "DELETING";
    public const string Deleted = "DELETED";
    public const string Failed = "FAILED";
    public const string PendingSetup = "PENDING_SETUP";
    public const string PendingDelete = "PENDING_DELETE";
}

public sealed record MultiRegionProperties
{
    public string? WitnessRegion { get; init; }
    public IReadOnlyList<string>? Clusters { get; init; }
}

public sealed record EncryptionDetails
{
    public required string EncryptionType { get; init; }
    public string? KmsKeyArn { get; init; }
    public required string EncryptionStatus { get; init; }
}

public sealed record CreateClusterRequest
{
    public bool? DeletionProtectionEnabled { get; init; }
    public string? KmsEncryptionKey { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public string? ClientToken { get; init; }
    public MultiRegionProperties? MultiRegionProperties { get; init; }
    public string? Policy { get; init; }
    public bool? BypassPolicyLockoutSafetyCheck { get; init; }
}

public sealed record CreateClusterResponse
{
    public required string Identifier { get; init; }
    public required string Arn { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public MultiRegionProperties? MultiRegionProperties { get; init; }
    public EncryptionDetails? EncryptionDetails { get; init; }
    public required bool DeletionProtectionEnabled { get; init; }
    public string? Endpoint { get; init; }
}

/// <summary>GetCluster's output: the full description of one cluster.</summary>
public sealed record GetClusterResponse
{
    public required string Identifier { get; init; }
    public required string Arn { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
    public required bool DeletionProtectionEnabled { get; init; }
    public MultiRegionProperties? MultiRegionProperties { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public EncryptionDetails? EncryptionDetails { get; init; }
    public string? Endpoint { get; init; }
}

public sealed record UpdateClusterRequest
{
    /// <summary>Travels in the path.</summary>
    public required string Identifier { get; init; }
    public bool? DeletionProtectionEnabled { get; init; }
    public string? KmsEncryptionKey { get; init; }
    public string? ClientToken { get; init; }
    public MultiRegionProperties? MultiRegionProperties { get; init; }
}

/// <summary>The short output UpdateCluster and DeleteCluster share.</summary>
public sealed record ClusterStatusResponse
{
    public required string Identifier { get; init; }
    public required string Arn { get; init; }
    public required string Status { get; init; }
    public required DateTimeOffset CreationTime { get; init; }
}

public sealed record DeleteClusterRequest
{
    public required string Identifier { get; init; }

    /// <summary>Travels as the <c>client-token</c> query parameter.</summary>
    public string? ClientToken { get; init; }
}

public sealed record ListClustersRequest
{
    /// <summary>1 to 100; travels as <c>max-results</c>.</summary>
    public int? MaxResults { get; init; }

    /// <summary>Travels as <c>next-token</c>.</summary>
    public string? NextToken { get; init; }
}

public sealed record ClusterSummary
{
    public required string Identifier { get; init; }
    public required string Arn { get; init; }
}

public sealed record ListClustersResponse
{
    public string? NextToken { get; init; }
    public required IReadOnlyList<ClusterSummary> Clusters { get; init; }
}

public sealed record TagResourceRequest
{
    /// <summary>Travels in the path.</summary>
    public required string ResourceArn { get; init; }
    public required IReadOnlyDictionary<string, string> Tags { get; init; }
}

public sealed record UntagResourceRequest
{
    public required string ResourceArn { get; init; }

    /// <summary>Travels as repeated <c>tagKeys</c> query parameters.</summary>
    public required IReadOnlyList<string> TagKeys { get; init; }
}

public sealed record ListTagsForResourceResponse
{
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>One entry of a ValidationException's fieldList.</summary>
public sealed record ValidationExceptionField(string Name, string Message);

/// <summary>ValidationExceptionReason values (service-2.json). Open set, like ClusterStatus.</summary>
public static class ValidationExceptionReason
{
    public const string UnknownOperation = "unknownOperation";
    public const string CannotParse = "cannotParse";
    public const string FieldValidationFailed = "fieldValidationFailed";
    public const string DeletionProtectionEnabled = "deletionProtectionEnabled";
    public const string Other = "other";
}

/// <summary>The JSON body every DSQL error carries (members are a union over the error shapes).</summary>
public sealed record DsqlErrorBody
{
    [JsonPropertyName("__type")]
    public string? Type { get; init; }
    public string? Code { get; init; }
    public string? Message { get; init; }

    // Some AWS front ends spell it with a capital M.
    [JsonPropertyName("Message")]
    public string? MessageUpper { get; init; }
    public string? Reason { get; init; }
    public IReadOnlyList<ValidationExceptionField>? FieldList { get; init; }
    public string? ResourceId { get; init; }
    public string? ResourceType { get; init; }
    public string? ServiceCode { get; init; }
    public string? QuotaCode { get; init; }
}

/// <summary>The JSON bodies of requests whose other members travel in the path.</summary>
internal static class WireBodies
{
    internal sealed record UpdateCluster(bool? DeletionProtectionEnabled, string? KmsEncryptionKey, string? ClientToken, MultiRegionProperties? MultiRegionProperties);

    internal sealed record TagResource(IReadOnlyDictionary<string, string> Tags);
}
