using System.Text.Json.Serialization;
using Workflows.Core.Hosting;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

/// <summary>
/// The one source-generated JSON contract of every step payload: camelCase, nulls left out unless a member
/// says otherwise, RFC 3339 timestamps, unknown and duplicate members refused (a typo must not silently fall
/// back to a default). ClusterRefInput and PollStateInput opt out of the unknown-member rule on purpose.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    Converters = [typeof(Rfc3339Converter)])]
[JsonSerializable(typeof(ProvisionRequestInput))]
[JsonSerializable(typeof(TeardownRequestInput))]
[JsonSerializable(typeof(ProvisionRequest))]
[JsonSerializable(typeof(TeardownRequest))]
[JsonSerializable(typeof(UpdateRequestInput))]
[JsonSerializable(typeof(UpdateRequest))]
[JsonSerializable(typeof(ValidateProvisionRequestInput))]
[JsonSerializable(typeof(ValidateProvisionRequestOutput))]
[JsonSerializable(typeof(ValidateTeardownRequestInput))]
[JsonSerializable(typeof(ValidateTeardownRequestOutput))]
[JsonSerializable(typeof(CreatePrimaryClusterInput))]
[JsonSerializable(typeof(CreatePrimaryClusterOutput))]
[JsonSerializable(typeof(CreatePeerClusterInput))]
[JsonSerializable(typeof(CreatePeerClusterOutput))]
[JsonSerializable(typeof(LinkClustersInput))]
[JsonSerializable(typeof(LinkClustersOutput))]
[JsonSerializable(typeof(DescribeClusterInput))]
[JsonSerializable(typeof(DescribeClusterOutput))]
[JsonSerializable(typeof(SetDeletionProtectionInput))]
[JsonSerializable(typeof(SetDeletionProtectionOutput))]
[JsonSerializable(typeof(DeleteClusterInput))]
[JsonSerializable(typeof(DeleteClusterOutput))]
[JsonSerializable(typeof(ConfirmClusterGoneInput))]
[JsonSerializable(typeof(ConfirmClusterGoneOutput))]
[JsonSerializable(typeof(FindExecutionClustersInput))]
[JsonSerializable(typeof(FindExecutionClustersOutput))]
[JsonSerializable(typeof(ValidateUpdateRequestInput))]
[JsonSerializable(typeof(ValidateUpdateRequestOutput))]
[JsonSerializable(typeof(UpdateClusterTagsInput))]
[JsonSerializable(typeof(UpdateClusterTagsOutput))]
public sealed partial class StepJsonContext : JsonSerializerContext;
