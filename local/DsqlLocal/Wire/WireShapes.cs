namespace DsqlLocal.Wire;

// The emulator's own records of the service's output and error shapes (service-2.json, API 2018-05-10),
// written from the model and kept apart from Workflows.Core's client records on purpose: if both sides shared
// one set of records, the .NET suites would only prove that the client agrees with itself. The contract test
// (ModelContractTests) checks these against the model, member for member.

/// <summary>ClusterStatus values; the model's enum, in its order.</summary>
internal static class WireClusterStatus
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

    public static IReadOnlyList<string> All { get; } =
        [Creating, Active, Idle, Inactive, Updating, Deleting, Deleted, Failed, PendingSetup, PendingDelete];
}

/// <summary>StreamStatus values the emulator produces (the model also has FAILED and IMPAIRED).</summary>
internal static class WireStreamStatus
{
    public const string Creating = "CREATING";
    public const string Active = "ACTIVE";
    public const string Deleting = "DELETING";
}

/// <summary>ValidationExceptionReason values.</summary>
internal static class WireValidationReason
{
    public const string UnknownOperation = "unknownOperation";
    public const string CannotParse = "cannotParse";
    public const string FieldValidationFailed = "fieldValidationFailed";
    public const string DeletionProtectionEnabled = "deletionProtectionEnabled";
    public const string Other = "other";
}

internal sealed record WireMultiRegionProperties
{
    public string? WitnessRegion { get; init; }

    public IReadOnlyList<string>? Clusters { get; init; }
}

internal sealed record WireEncryptionDetails
{
    public required string EncryptionType { get; init; }

    public string? KmsKeyArn { get; init; }

    public required string EncryptionStatus { get; init; }
}

internal sealed record CreateClusterOutput
{
    public required string Identifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public WireMultiRegionProperties? MultiRegionProperties { get; init; }

    public WireEncryptionDetails? EncryptionDetails { get; init; }

    public required bool DeletionProtectionEnabled { get; init; }

    public string? Endpoint { get; init; }
}

internal sealed record GetClusterOutput
{
    public required string Identifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required bool DeletionProtectionEnabled { get; init; }

    public WireMultiRegionProperties? MultiRegionProperties { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public WireEncryptionDetails? EncryptionDetails { get; init; }

    public string? Endpoint { get; init; }
}

/// <summary>UpdateClusterOutput and DeleteClusterOutput have the same four members.</summary>
internal sealed record ClusterStatusOutput
{
    public required string Identifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }
}

internal sealed record WireClusterSummary
{
    public required string Identifier { get; init; }

    public required string Arn { get; init; }
}

internal sealed record ListClustersOutput
{
    public string? NextToken { get; init; }

    public required IReadOnlyList<WireClusterSummary> Clusters { get; init; }
}

internal sealed record ListTagsForResourceOutput
{
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

/// <summary>ValidationExceptionField; both members are required by the model.</summary>
internal sealed record WireValidationField([property: System.Text.Json.Serialization.JsonRequired] string Name, [property: System.Text.Json.Serialization.JsonRequired] string Message);

/// <summary>
/// The body of every error: the union of the error shapes' members, plus <c>__type</c> (rest-json clients read
/// the error type from it or from x-amzn-ErrorType). Members that are null are left out.
/// </summary>
internal sealed record WireErrorBody
{
    [System.Text.Json.Serialization.JsonPropertyName("__type")]
    public required string Type { get; init; }

    public required string Message { get; init; }

    public string? Reason { get; init; }

    public IReadOnlyList<WireValidationField>? FieldList { get; init; }

    public string? ResourceId { get; init; }

    public string? ResourceType { get; init; }

    public string? ServiceCode { get; init; }

    public string? QuotaCode { get; init; }
}

internal sealed record GetClusterPolicyOutput
{
    public required string Policy { get; init; }

    public required string PolicyVersion { get; init; }
}

/// <summary>PutClusterPolicyOutput and DeleteClusterPolicyOutput: just the version.</summary>
internal sealed record PolicyVersionOutput
{
    public required string PolicyVersion { get; init; }
}

internal sealed record WireKinesisTarget
{
    public required string StreamArn { get; init; }

    public required string RoleArn { get; init; }
}

/// <summary>TargetDefinition is a union; kinesis is its only member today.</summary>
internal sealed record WireTargetDefinition
{
    public WireKinesisTarget? Kinesis { get; init; }
}

internal sealed record CreateStreamOutput
{
    public required string ClusterIdentifier { get; init; }

    public required string StreamIdentifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required string Ordering { get; init; }

    public required string Format { get; init; }
}

internal sealed record GetStreamOutput
{
    public required string ClusterIdentifier { get; init; }

    public required string StreamIdentifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required string Ordering { get; init; }

    public required string Format { get; init; }

    public WireTargetDefinition? TargetDefinition { get; init; }

    /// <summary>Why a stream is FAILED or IMPAIRED; the emulator's streams never are, so always null (left out).</summary>
    public WireStatusReason? StatusReason { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}

internal sealed record WireStatusReason
{
    public required string Error { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record DeleteStreamOutput
{
    public required string ClusterIdentifier { get; init; }

    public required string StreamIdentifier { get; init; }

    public required string Arn { get; init; }

    public required string Status { get; init; }

    public required DateTimeOffset CreationTime { get; init; }
}

internal sealed record WireStreamSummary
{
    public required string ClusterIdentifier { get; init; }

    public required string StreamIdentifier { get; init; }

    public required string Arn { get; init; }

    public required DateTimeOffset CreationTime { get; init; }

    public required string Status { get; init; }
}

internal sealed record ListStreamsOutput
{
    public string? NextToken { get; init; }

    public required IReadOnlyList<WireStreamSummary> Streams { get; init; }
}

internal sealed record GetVpcEndpointServiceNameOutput
{
    public required string ServiceName { get; init; }

    public string? ClusterVpcEndpoint { get; init; }
}
