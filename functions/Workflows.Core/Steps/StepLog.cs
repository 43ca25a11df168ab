using Microsoft.Extensions.Logging;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

/// <summary>The steps' log lines, generated so that a disabled level costs nothing.</summary>
internal static partial class StepLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Provision request is valid: primary {PrimaryRegion}, peer {PeerRegion}, witness {WitnessRegion}, {TagCount} tags")]
    public static partial void ProvisionRequestValid(this ILogger logger, string primaryRegion, string peerRegion, string witnessRegion, int tagCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teardown request is valid: primary {Primary}, peer {Peer}, force {Force}")]
    public static partial void TeardownRequestValid(this ILogger logger, ClusterRef primary, ClusterRef peer, bool force);

    [LoggerMessage(Level = LogLevel.Information, Message = "Creating the {Role} cluster with witness {WitnessRegion}")]
    public static partial void Creating(this ILogger logger, string role, string witnessRegion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the {Role} cluster {Arn}: {Status}")]
    public static partial void Created(this ILogger logger, string role, string arn, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Linked the primary to {PeerArn}: {Status}")]
    public static partial void Linked(this ILogger logger, string peerArn, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The primary already lists {PeerArn}: {Status}")]
    public static partial void AlreadyLinked(this ILogger logger, string peerArn, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster does not exist")]
    public static partial void Missing(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked {ClusterCount} clusters ({Statuses}), check {Attempt}: {Decision}")]
    public static partial void Checked(this ILogger logger, int clusterCount, string statuses, int attempt, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "{GoneCount} of {ClusterCount} clusters gone, check {Attempt}: {Decision}")]
    public static partial void GoneChecked(this ILogger logger, int goneCount, int clusterCount, int attempt, string decision);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deletion protection is now {Enabled}: {Status}")]
    public static partial void ProtectionSet(this ILogger logger, bool enabled, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster is already {Status}; nothing to change")]
    public static partial void AlreadyLeaving(this ILogger logger, string? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleting the cluster: {Status}")]
    public static partial void Deleting(this ILogger logger, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster is already gone")]
    public static partial void AlreadyGone(this ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Looked through {ClusterCount} clusters: {FoundCount} carry this run's tags")]
    public static partial void Searched(this ILogger logger, int clusterCount, int foundCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Update request is valid: primary {Primary}, peer {Peer}, deletion protection {DeletionProtection} (empty: unchanged), {TagCount} tags to set, {UntagCount} to remove")]
    public static partial void UpdateRequestValid(this ILogger logger, ClusterRef primary, ClusterRef peer, bool? deletionProtection, int tagCount, int untagCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Set {TagCount} tags and removed {UntagCount}")]
    public static partial void TagsUpdated(this ILogger logger, int tagCount, int untagCount);
}
