using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DsqlLocal.Http;
using DsqlLocal.Wire;

namespace DsqlLocal.Model;

/// <summary>The cluster policy, stream and VPC endpoint operations.</summary>
internal sealed partial class ClusterStore
{
    /// <summary>Inferred: the model names ServiceQuotaExceededException for CreateStream but no figure is published.</summary>
    private const int StreamsPerCluster = 5;

    public string PutPolicy(string region, PutClusterPolicyInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "PutClusterPolicy", input.ClientToken, input.Fingerprint, input.Identifier, () =>
            {
                var cluster = Find(region, input.Identifier);
                EnsureAllowed(cluster, "PutClusterPolicy", now);
                CheckExpectedVersion(cluster, input.ExpectedPolicyVersion);
                CheckLockout(input.Policy, input.BypassPolicyLockoutSafetyCheck);
                cluster.Policy = input.Policy;
                cluster.PolicyVersion = NextPolicyVersion(cluster.PolicyVersion);
                return JsonSerializer.Serialize(new PolicyVersionOutput { PolicyVersion = cluster.PolicyVersion }, WireJson.Context.PolicyVersionOutput);
            });
        }
    }

    public string GetPolicy(string region, string identifier)
    {
        lock (_gate)
        {
            Sweep(Now());
            var cluster = Find(region, identifier);
            if (cluster.Policy is null)
            {
                throw PolicyNotFound(cluster);
            }

            return JsonSerializer.Serialize(
                new GetClusterPolicyOutput { Policy = cluster.Policy, PolicyVersion = cluster.PolicyVersion ?? "1" },
                WireJson.Context.GetClusterPolicyOutput);
        }
    }

    public string DeletePolicy(string region, DeleteClusterPolicyInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "DeleteClusterPolicy", input.ClientToken, input.Fingerprint, input.Identifier, () =>
            {
                var cluster = Find(region, input.Identifier);
                EnsureAllowed(cluster, "DeleteClusterPolicy", now);
                if (cluster.Policy is null)
                {
                    throw PolicyNotFound(cluster);
                }

                CheckExpectedVersion(cluster, input.ExpectedPolicyVersion);

                // Inferred: the answer names the version that was deleted.
                var deleted = cluster.PolicyVersion ?? "1";
                cluster.Policy = null;
                return JsonSerializer.Serialize(new PolicyVersionOutput { PolicyVersion = deleted }, WireJson.Context.PolicyVersionOutput);
            });
        }
    }

    public string CreateStream(string region, CreateStreamInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "CreateStream", input.ClientToken, input.Fingerprint, input.ClusterIdentifier, () =>
            {
                var cluster = Find(region, input.ClusterIdentifier);
                EnsureAllowed(cluster, "CreateStream", now);
                if (cluster.Streams.Count(s => StreamStatus(s, now) is not null) >= StreamsPerCluster)
                {
                    throw Errors.QuotaExceeded(
                        cluster.Identifier,
                        "dsql-streams-per-cluster",
                        $"Cluster {cluster.Identifier} already has {StreamsPerCluster} streams, the most a cluster can have.");
                }

                var id = NewIdentifier();
                var stream = new StreamRecord
                {
                    Identifier = id,
                    Arn = $"{cluster.Arn}/stream/{id}",
                    CreationTime = now,
                    KinesisStreamArn = input.KinesisStreamArn,
                    RoleArn = input.RoleArn,
                    Ordering = input.Ordering,
                    Format = input.Format,
                    Tags = input.Tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
                };
                cluster.Streams.Add(stream);
                return JsonSerializer.Serialize(
                    new CreateStreamOutput
                    {
                        ClusterIdentifier = cluster.Identifier,
                        StreamIdentifier = id,
                        Arn = stream.Arn,
                        Status = StreamStatus(stream, now)!,
                        CreationTime = stream.CreationTime,
                        Ordering = stream.Ordering,
                        Format = stream.Format,
                    },
                    WireJson.Context.CreateStreamOutput);
            });
        }
    }

    public string GetStream(string region, string clusterIdentifier, string streamIdentifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            var (cluster, stream) = FindStream(region, clusterIdentifier, streamIdentifier, now);
            return JsonSerializer.Serialize(
                new GetStreamOutput
                {
                    ClusterIdentifier = cluster.Identifier,
                    StreamIdentifier = stream.Identifier,
                    Arn = stream.Arn,
                    Status = StreamStatus(stream, now)!,
                    CreationTime = stream.CreationTime,
                    Ordering = stream.Ordering,
                    Format = stream.Format,
                    TargetDefinition = new WireTargetDefinition { Kinesis = new WireKinesisTarget { StreamArn = stream.KinesisStreamArn, RoleArn = stream.RoleArn } },
                    Tags = new Dictionary<string, string>(stream.Tags, StringComparer.Ordinal),
                },
                WireJson.Context.GetStreamOutput);
        }
    }

    public string ListStreams(string region, string clusterIdentifier, int maxResults, string? nextToken)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            var cluster = Find(region, clusterIdentifier);
            var after = DecodeNextToken(nextToken);
            var live = cluster.Streams
                .Select((s, i) => (Stream: s, Position: i + 1L))
                .Where(x => StreamStatus(x.Stream, now) is not null && x.Position > after)
                .ToList();
            var page = live.Take(maxResults).ToList();
            return JsonSerializer.Serialize(
                new ListStreamsOutput
                {
                    Streams = page.Select(x => new WireStreamSummary
                    {
                        ClusterIdentifier = cluster.Identifier,
                        StreamIdentifier = x.Stream.Identifier,
                        Arn = x.Stream.Arn,
                        CreationTime = x.Stream.CreationTime,
                        Status = StreamStatus(x.Stream, now)!,
                    }).ToList(),
                    NextToken = live.Count > page.Count ? EncodeNextToken(page[^1].Position) : null,
                },
                WireJson.Context.ListStreamsOutput);
        }
    }

    public string DeleteStream(string region, DeleteStreamInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "DeleteStream", input.ClientToken, input.Fingerprint, input.ClusterIdentifier, () =>
            {
                var (cluster, stream) = FindStream(region, input.ClusterIdentifier, input.StreamIdentifier, now);
                EnsureAllowed(cluster, "DeleteStream", now);
                if (stream.DeletionStartedAt is not null)
                {
                    throw Errors.Conflict(stream.Identifier, $"Stream {stream.Identifier} is already DELETING.");
                }

                stream.DeletionStartedAt = now;
                return JsonSerializer.Serialize(
                    new DeleteStreamOutput
                    {
                        ClusterIdentifier = cluster.Identifier,
                        StreamIdentifier = stream.Identifier,
                        Arn = stream.Arn,
                        Status = WireStreamStatus.Deleting,
                        CreationTime = stream.CreationTime,
                    },
                    WireJson.Context.DeleteStreamOutput);
            });
        }
    }

    /// <summary>
    /// The model's pattern is com.amazonaws.{region}.dsql-{6 hex}; the six hex digits are derived from the
    /// Region here (Inferred: one endpoint service per Region), and the cluster's VPC endpoint from its
    /// identifier (Inferred format).
    /// </summary>
    public string GetVpcEndpointServiceName(string region, string identifier)
    {
        lock (_gate)
        {
            Sweep(Now());
            var cluster = Find(region, identifier);
            var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("dsql-local-vpce:" + region)))[..6];
            return JsonSerializer.Serialize(
                new GetVpcEndpointServiceNameOutput
                {
                    ServiceName = $"com.amazonaws.{region}.dsql-{suffix}",
                    ClusterVpcEndpoint = $"{cluster.Identifier}.dsql-{suffix}.{region}.on.aws",
                },
                WireJson.Context.GetVpcEndpointServiceNameOutput);
        }
    }

    /// <summary>Streams: CREATING for the updating time, then ACTIVE; DELETING for the deletion time, then gone (null). Inferred durations.</summary>
    private string? StreamStatus(StreamRecord stream, DateTimeOffset now)
    {
        if (stream.DeletionStartedAt is { } deleting)
        {
            return now >= deleting + _lifecycle.Times.Deletion ? null : WireStreamStatus.Deleting;
        }

        return now < stream.CreationTime + _lifecycle.Times.Updating ? WireStreamStatus.Creating : WireStreamStatus.Active;
    }

    private (ClusterRecord Cluster, StreamRecord Stream) FindStream(string region, string clusterIdentifier, string streamIdentifier, DateTimeOffset now)
    {
        var cluster = Find(region, clusterIdentifier);
        var stream = cluster.Streams.FirstOrDefault(s => s.Identifier == streamIdentifier && StreamStatus(s, now) is not null);
        return stream is null
            ? throw new DsqlApiException(System.Net.HttpStatusCode.NotFound, "ResourceNotFoundException", $"Stream {streamIdentifier} of cluster {clusterIdentifier} not found.")
            {
                ResourceId = streamIdentifier,
                ResourceType = "stream",
            }
            : (cluster, stream);
    }

    /// <summary>Inferred: a version that does not match the current one is a concurrent change, so 409.</summary>
    private static void CheckExpectedVersion(ClusterRecord cluster, string? expected)
    {
        if (expected is null)
        {
            return;
        }

        var current = cluster.Policy is null ? null : cluster.PolicyVersion ?? "1";
        if (current != expected)
        {
            throw Errors.Conflict(
                cluster.Identifier,
                $"The expected policy version '{expected}' does not match the current policy version '{current ?? "(no policy)"}' of cluster {cluster.Identifier}.");
        }
    }

    /// <summary>
    /// bypassPolicyLockoutSafetyCheck, as documented: without it, a policy that might lock the caller out of the
    /// cluster is refused; with it, the policy is applied anyway.
    /// </summary>
    private static void CheckLockout(string policy, bool bypass)
    {
        if (!bypass && PolicyDocument.LocksOut(policy))
        {
            throw Errors.Validation(
                WireValidationReason.Other,
                "The policy would lock you out of the cluster: it denies dsql:PutClusterPolicy to every principal, so it could never be changed again. Set bypassPolicyLockoutSafetyCheck to true to apply it anyway.");
        }
    }

    private static string NextPolicyVersion(string? current) =>
        current is not null && long.TryParse(current, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (n + 1).ToString(CultureInfo.InvariantCulture)
            : "1";

    private static DsqlApiException PolicyNotFound(ClusterRecord cluster) =>
        new(System.Net.HttpStatusCode.NotFound, "ResourceNotFoundException", $"Cluster {cluster.Identifier} has no resource-based policy.")
        {
            ResourceId = cluster.Identifier,
            ResourceType = "policy",
        };
}
