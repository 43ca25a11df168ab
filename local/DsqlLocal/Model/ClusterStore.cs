using System.Globalization;
using System.Text;
using System.Text.Json;
using DsqlLocal.Http;
using DsqlLocal.Persistence;
using Workflows.Core.Dsql;

namespace DsqlLocal.Model;

/// <summary>
/// The emulated control plane: every operation runs under one lock against the in-memory state, derives
/// statuses from timestamps at the current instant, and saves the state after each mutation.
/// Operations return the JSON body to send so that clientToken replays can hand back the first answer verbatim.
/// </summary>
internal sealed class ClusterStore
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Lifecycle _lifecycle;
    private readonly string _accountId;
    private readonly int _multiRegionQuota;
    private readonly int _singleRegionQuota;
    private readonly StateFile? _stateFile;
    private readonly Random _idRandom;
    private readonly Dictionary<string, ClusterRecord> _clusters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IdempotencyRecord> _tokens = new(StringComparer.Ordinal);
    private long _nextSequence = 1;

    public ClusterStore(DsqlLocalOptions options, Lifecycle lifecycle, TimeProvider time, StateFile? stateFile)
    {
        _time = time;
        _lifecycle = lifecycle;
        _accountId = options.AccountId;
        _multiRegionQuota = options.MultiRegionQuota;
        _singleRegionQuota = options.SingleRegionQuota;
        _stateFile = stateFile;
        _idRandom = options.Seed is { } seed ? new Random(seed) : new Random();
        if (stateFile?.Load() is { } state)
        {
            _nextSequence = state.NextSequence;
            foreach (var cluster in state.Clusters)
            {
                _clusters[cluster.Arn] = cluster;
            }

            foreach (var token in state.ClientTokens)
            {
                _tokens[token.Key] = token;
            }
        }
    }

    public string Create(string region, CreateClusterInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "CreateCluster", input.ClientToken, input.Fingerprint, string.Empty, () => CreateLocked(region, input, now));
        }
    }

    public string Get(string region, string identifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            var cluster = Find(region, identifier);
            var response = new GetClusterResponse
            {
                Identifier = cluster.Identifier,
                Arn = cluster.Arn,
                Status = Status(cluster, now),
                CreationTime = cluster.CreationTime,
                DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
                MultiRegionProperties = MultiRegion(cluster),
                Tags = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal),
                EncryptionDetails = Encryption(cluster),
                Endpoint = EndpointOf(cluster),
            };
            return JsonSerializer.Serialize(response, WireJson.Context.GetClusterResponse);
        }
    }

    public string Update(string region, UpdateClusterInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "UpdateCluster", input.ClientToken, input.Fingerprint, input.Identifier, () => UpdateLocked(region, input, now));
        }
    }

    public string Delete(string region, DeleteClusterInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "DeleteCluster", input.ClientToken, input.Fingerprint, input.Identifier, () => DeleteLocked(region, input, now));
        }
    }

    public string List(string region, int maxResults, string? nextToken)
    {
        lock (_gate)
        {
            Sweep(Now());
            var after = DecodeNextToken(nextToken);
            var inRegion = _clusters.Values
                .Where(c => c.Region == region && c.Sequence > after)
                .OrderBy(c => c.Sequence)
                .ToList();
            var page = inRegion.Take(maxResults).ToList();
            var response = new ListClustersResponse
            {
                Clusters = page.Select(c => new ClusterSummary { Identifier = c.Identifier, Arn = c.Arn }).ToList(),
                NextToken = inRegion.Count > page.Count ? EncodeNextToken(page[^1].Sequence) : null,
            };
            return JsonSerializer.Serialize(response, WireJson.Context.ListClustersResponse);
        }
    }

    public void Tag(string region, string arn, IReadOnlyDictionary<string, string> tags)
    {
        lock (_gate)
        {
            Sweep(Now());
            var cluster = FindByArn(region, arn);
            var merged = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal);
            foreach (var (key, value) in tags)
            {
                merged[key] = value;
            }

            if (merged.Count > Constraints.MaxTags)
            {
                throw Errors.QuotaExceeded(
                    cluster.Identifier,
                    "dsql-tags-per-resource",
                    $"Cluster {cluster.Identifier} would have {merged.Count} tags; at most {Constraints.MaxTags} tags are allowed per resource.");
            }

            cluster.Tags = merged;
            Save();
        }
    }

    public void Untag(string region, string arn, IReadOnlyList<string> keys)
    {
        lock (_gate)
        {
            Sweep(Now());
            var cluster = FindByArn(region, arn);
            foreach (var key in keys)
            {
                cluster.Tags.Remove(key);
            }

            Save();
        }
    }

    public string ListTags(string region, string arn)
    {
        lock (_gate)
        {
            Sweep(Now());
            var cluster = FindByArn(region, arn);
            var response = new ListTagsForResourceResponse { Tags = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal) };
            return JsonSerializer.Serialize(response, WireJson.Context.ListTagsForResourceResponse);
        }
    }

    public IReadOnlyList<ClusterSnapshot> Snapshot()
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return _clusters.Values
                .OrderBy(c => c.Sequence)
                .Select(c => new ClusterSnapshot(
                    c.Identifier,
                    c.Arn,
                    c.Region,
                    Status(c, now),
                    c.CreationTime,
                    c.DeletionProtectionEnabled,
                    c.WitnessRegion,
                    c.Peers.ToList(),
                    new Dictionary<string, string>(c.Tags, StringComparer.Ordinal),
                    c.KmsKeyArn))
                .ToList();
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _clusters.Clear();
            _tokens.Clear();
            _nextSequence = 1;
            Save();
        }
    }

    private string CreateLocked(string region, CreateClusterInput input, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        var witness = NullIfEmpty(input.MultiRegion?.WitnessRegion);
        var peers = input.MultiRegion?.Clusters ?? [];
        if (witness is null && peers.Count > 0)
        {
            errors.Add("multiRegionProperties.clusters", peers[0], "Peer clusters can only be given together with multiRegionProperties.witnessRegion");
        }

        if (witness is not null)
        {
            ValidateWitness(witness, region, errors);
        }

        ValidatePeerCount(peers, errors);
        errors.ThrowIfAny();

        var identifier = NewIdentifier();
        var arn = ArnOf(region, identifier);
        if (peers.Count == 1)
        {
            ResolvePeer(region, witness!, peers[0], arn);
        }

        var multiRegion = witness is not null;
        var sameKind = _clusters.Values.Count(c => c.Region == region && c.IsMultiRegion == multiRegion);
        var quota = multiRegion ? _multiRegionQuota : _singleRegionQuota;
        if (sameKind >= quota)
        {
            var kind = multiRegion ? "multi-Region" : "single-Region";
            throw Errors.QuotaExceeded(
                region,
                multiRegion ? "dsql-multi-region-clusters" : "dsql-single-region-clusters",
                $"The quota of {quota} {kind} clusters in {region} has been reached.");
        }

        var cluster = new ClusterRecord
        {
            Identifier = identifier,
            Arn = arn,
            Region = region,
            AccountId = _accountId,
            Sequence = _nextSequence++,
            CreationTime = now,
            DeletionProtectionEnabled = input.DeletionProtectionEnabled ?? true,
            KmsKeyArn = KmsKeyArn(input.KmsEncryptionKey, region),
            Policy = input.Policy,
            Tags = input.Tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
            WitnessRegion = witness,
            Peers = peers.ToList(),
        };
        _clusters[arn] = cluster;

        var response = new CreateClusterResponse
        {
            Identifier = cluster.Identifier,
            Arn = cluster.Arn,
            Status = Status(cluster, now),
            CreationTime = cluster.CreationTime,
            MultiRegionProperties = MultiRegion(cluster),
            EncryptionDetails = Encryption(cluster),
            DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
            Endpoint = EndpointOf(cluster),
        };
        return JsonSerializer.Serialize(response, WireJson.Context.CreateClusterResponse);
    }

    private string UpdateLocked(string region, UpdateClusterInput input, DateTimeOffset now)
    {
        var cluster = Find(region, input.Identifier);
        if (Lifecycle.IsDeleting(cluster))
        {
            // Inferred: the service refuses to change a cluster that is already on its way out.
            throw Errors.Conflict(cluster.Identifier, $"Cluster {cluster.Identifier} is {Status(cluster, now)} and cannot be updated.");
        }

        var errors = new FieldErrors();
        var newWitness = cluster.WitnessRegion;
        List<string>? newPeers = null;
        if (input.MultiRegion is { } multi)
        {
            var witness = NullIfEmpty(multi.WitnessRegion);
            if (witness is not null)
            {
                if (cluster.WitnessRegion is null)
                {
                    ValidateWitness(witness, region, errors);
                    newWitness = witness;
                }
                else if (witness != cluster.WitnessRegion)
                {
                    errors.Add(
                        "multiRegionProperties.witnessRegion",
                        witness,
                        $"The witness Region must match the cluster's witness Region '{cluster.WitnessRegion}'");
                }
            }

            if (multi.Clusters is { } peers)
            {
                if (newWitness is null && peers.Count > 0)
                {
                    errors.Add("multiRegionProperties.clusters", peers[0], "Peer clusters require a witness Region; the cluster has none and none was given in multiRegionProperties.witnessRegion");
                }

                ValidatePeerCount(peers, errors);
                errors.ThrowIfAny();
                newPeers = peers.ToList();
                if (!cluster.Peers.SequenceEqual(newPeers, StringComparer.Ordinal))
                {
                    if (cluster.Peers.Count > 0)
                    {
                        throw Errors.Conflict(
                            cluster.Identifier,
                            $"Cluster {cluster.Identifier} is already linked to {cluster.Peers[0]}; its peers cannot be changed.");
                    }

                    if (newPeers.Count == 1)
                    {
                        ResolvePeer(region, newWitness!, newPeers[0], cluster.Arn);
                    }
                }
            }
        }

        errors.ThrowIfAny();
        if (newWitness is not null && cluster.WitnessRegion is null)
        {
            var multiInRegion = _clusters.Values.Count(c => c.Region == region && c.IsMultiRegion);
            if (multiInRegion >= _multiRegionQuota)
            {
                throw Errors.QuotaExceeded(region, "dsql-multi-region-clusters", $"The quota of {_multiRegionQuota} multi-Region clusters in {region} has been reached.");
            }
        }

        cluster.WitnessRegion = newWitness;
        if (newPeers is not null)
        {
            cluster.Peers = newPeers;
        }

        if (input.DeletionProtectionEnabled is { } protection)
        {
            cluster.DeletionProtectionEnabled = protection;
        }

        if (input.KmsEncryptionKey is { } key)
        {
            cluster.KmsKeyArn = KmsKeyArn(key, region);
        }

        if (cluster.LinkedAt is null && MutualPeer(cluster) is { } peer)
        {
            // The pair now lists each other: provisioning of both starts at this instant.
            cluster.LinkedAt = now;
            peer.LinkedAt = now;
        }

        return StatusResponse(cluster, now);
    }

    private string DeleteLocked(string region, DeleteClusterInput input, DateTimeOffset now)
    {
        var cluster = Find(region, input.Identifier);
        if (Lifecycle.IsDeleting(cluster))
        {
            // Inferred: a second delete of a cluster already being deleted is a conflict, not a no-op.
            throw Errors.Conflict(cluster.Identifier, $"Cluster {cluster.Identifier} is already {Status(cluster, now)}.");
        }

        if (cluster.DeletionProtectionEnabled)
        {
            throw Errors.Validation(
                ValidationExceptionReason.DeletionProtectionEnabled,
                $"Cluster {cluster.Identifier} has deletion protection enabled. Disable it with UpdateCluster (deletionProtectionEnabled=false) before deleting the cluster.");
        }

        var peer = MutualPeer(cluster);
        if (peer is null || peer.DeletionStartedAt is not null)
        {
            cluster.DeletionStartedAt = now;
        }
        else if (peer.DeleteRequestedAt is not null)
        {
            // The last member of the pair is going: both start deleting together.
            cluster.DeleteRequestedAt = now;
            cluster.DeletionStartedAt = now;
            peer.DeletionStartedAt = now;
        }
        else
        {
            cluster.DeleteRequestedAt = now;
        }

        return StatusResponse(cluster, now);
    }

    private string Idempotent(string region, string operation, string? token, string fingerprint, string resourceId, Func<string> action)
    {
        if (token is null)
        {
            var body = action();
            Save();
            return body;
        }

        var key = string.Join('\n', region, operation, token);
        if (_tokens.TryGetValue(key, out var previous))
        {
            if (previous.Fingerprint == fingerprint)
            {
                return previous.ResponseJson;
            }

            throw Errors.Conflict(
                resourceId,
                $"The client token '{token}' was already used with a different {operation} request. Use a new client token for a different request.");
        }

        var response = action();
        _tokens[key] = new IdempotencyRecord { Key = key, Fingerprint = fingerprint, ResponseJson = response, CreatedAt = Now() };
        Save();
        return response;
    }

    private static void ValidateWitness(string witness, string region, FieldErrors errors)
    {
        const string path = "multiRegionProperties.witnessRegion";
        if (!Constraints.RegionName().IsMatch(witness))
        {
            errors.Add(path, witness, "Member must be a valid AWS Region name");
        }
        else if (witness == region)
        {
            errors.Add(path, witness, $"The witness Region must be different from the cluster's own Region ({region})");
        }
    }

    private static void ValidatePeerCount(IReadOnlyList<string> peers, FieldErrors errors)
    {
        if (peers.Count > 1)
        {
            errors.Add(
                "multiRegionProperties.clusters",
                string.Join(", ", peers),
                "Member must have length less than or equal to 1 (the emulator supports multi-Region pairs: one peer cluster)");
        }
    }

    /// <summary>Checks that <paramref name="peerArn"/> can be linked to the cluster <paramref name="selfArn"/>.</summary>
    private void ResolvePeer(string region, string witness, string peerArn, string selfArn)
    {
        const string path = "multiRegionProperties.clusters";
        var match = Constraints.ClusterArn().Match(peerArn);
        if (!match.Success)
        {
            throw Errors.Field(path, $"Value '{peerArn}' at '{path}' failed to satisfy constraint: Member must be a cluster ARN matching {Constraints.ClusterArnPattern}");
        }

        var peerRegion = match.Groups["region"].Value;
        var errors = new FieldErrors();
        if (peerArn == selfArn)
        {
            errors.Add(path, peerArn, "A cluster cannot be its own peer");
        }
        else if (peerRegion == region)
        {
            errors.Add(path, peerArn, $"The peer cluster must be in a different Region than the cluster ({region})");
        }
        else if (peerRegion == witness)
        {
            errors.Add(path, peerArn, $"The peer cluster cannot be in the witness Region ({witness})");
        }
        else if (match.Groups["account"].Value != _accountId)
        {
            errors.Add(path, peerArn, $"The peer cluster must belong to the same account ({_accountId})");
        }
        else if (!_clusters.TryGetValue(peerArn, out var existing))
        {
            errors.Add(path, peerArn, "The peer cluster does not exist");
        }
        else if (existing.WitnessRegion is null)
        {
            errors.Add(path, peerArn, "The peer cluster is a single-Region cluster (it has no witness Region)");
        }
        else if (existing.WitnessRegion != witness)
        {
            errors.Add(
                "multiRegionProperties.witnessRegion",
                witness,
                $"The witness Region must match the witness Region '{existing.WitnessRegion}' of peer cluster {peerArn}");
        }

        errors.ThrowIfAny();
        var peer = _clusters[peerArn];
        if (Lifecycle.IsDeleting(peer))
        {
            throw Errors.Conflict(peer.Identifier, $"Peer cluster {peerArn} is being deleted.");
        }

        var peerLinkedElsewhere = peer.Peers.Count > 0 && peer.Peers[0] != selfArn;
        var otherSuitor = _clusters.Values.FirstOrDefault(c => c.Arn != selfArn && c.Peers.Contains(peerArn, StringComparer.Ordinal));
        if (peerLinkedElsewhere || otherSuitor is not null)
        {
            var other = peerLinkedElsewhere ? peer.Peers[0] : otherSuitor!.Arn;
            throw Errors.Conflict(peer.Identifier, $"Peer cluster {peerArn} is already linked to {other}.");
        }
    }

    private ClusterRecord? MutualPeer(ClusterRecord cluster) =>
        cluster.Peers.Count == 1
        && _clusters.TryGetValue(cluster.Peers[0], out var peer)
        && peer.Peers.Contains(cluster.Arn, StringComparer.Ordinal)
            ? peer
            : null;

    private ClusterRecord Find(string region, string identifier)
    {
        RequestParser.ParseIdentifier(identifier);
        return _clusters.TryGetValue(ArnOf(region, identifier), out var cluster)
            ? cluster
            : throw Errors.NotFound(identifier);
    }

    private ClusterRecord FindByArn(string region, string arn)
    {
        var match = Constraints.ClusterArn().Match(arn);
        if (!match.Success || match.Groups["region"].Value != region || !_clusters.TryGetValue(arn, out var cluster))
        {
            throw new DsqlApiException(System.Net.HttpStatusCode.NotFound, "ResourceNotFoundException", $"Resource {arn} not found in {region}.")
            {
                ResourceId = arn,
                ResourceType = Errors.ClusterResourceType,
            };
        }

        return cluster;
    }

    /// <summary>Forgets clusters whose deletion has completed; they vanish from every answer.</summary>
    private void Sweep(DateTimeOffset now)
    {
        var gone = _clusters.Values.Where(c => _lifecycle.StatusAt(c, now) is null).Select(c => c.Arn).ToList();
        foreach (var arn in gone)
        {
            _clusters.Remove(arn);
        }

        if (gone.Count > 0)
        {
            Save();
        }
    }

    private void Save() => _stateFile?.Save(new PersistedState
    {
        NextSequence = _nextSequence,
        Clusters = _clusters.Values.OrderBy(c => c.Sequence).ToList(),
        ClientTokens = _tokens.Values.ToList(),
    });

    private string Status(ClusterRecord cluster, DateTimeOffset now) => _lifecycle.StatusAt(cluster, now) ?? ClusterStatus.Deleted;

    private string StatusResponse(ClusterRecord cluster, DateTimeOffset now) => JsonSerializer.Serialize(
        new ClusterStatusResponse
        {
            Identifier = cluster.Identifier,
            Arn = cluster.Arn,
            Status = Status(cluster, now),
            CreationTime = cluster.CreationTime,
        },
        WireJson.Context.ClusterStatusResponse);

    private DateTimeOffset Now()
    {
        // Millisecond precision: the wire format carries no more, and replays must compare equal.
        var now = _time.GetUtcNow();
        return DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
    }

    private string NewIdentifier()
    {
        while (true)
        {
            var chars = new char[26];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = IdAlphabet[_idRandom.Next(IdAlphabet.Length)];
            }

            var id = new string(chars);
            if (!_clusters.Values.Any(c => c.Identifier == id))
            {
                return id;
            }
        }
    }

    private string ArnOf(string region, string identifier) => $"arn:aws:dsql:{region}:{_accountId}:cluster/{identifier}";

    private string? KmsKeyArn(string? key, string region) => key switch
    {
        null or "AWS_OWNED_KMS_KEY" => null,
        _ when key.StartsWith("arn:", StringComparison.Ordinal) => key,
        _ when key.StartsWith("alias/", StringComparison.Ordinal) => $"arn:aws:kms:{region}:{_accountId}:{key}",
        _ => $"arn:aws:kms:{region}:{_accountId}:key/{key}",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string EndpointOf(ClusterRecord cluster) => $"{cluster.Identifier}.dsql.{cluster.Region}.on.aws";

    private static MultiRegionProperties? MultiRegion(ClusterRecord cluster) =>
        cluster.WitnessRegion is null ? null : new MultiRegionProperties { WitnessRegion = cluster.WitnessRegion, Clusters = cluster.Peers.ToList() };

    private static EncryptionDetails Encryption(ClusterRecord cluster) => cluster.KmsKeyArn is null
        ? new EncryptionDetails { EncryptionType = "AWS_OWNED_KMS_KEY", EncryptionStatus = "ENABLED" }
        : new EncryptionDetails { EncryptionType = "CUSTOMER_MANAGED_KMS_KEY", KmsKeyArn = cluster.KmsKeyArn, EncryptionStatus = "ENABLED" };

    private static string EncodeNextToken(long sequence) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("dsql-local:" + sequence.ToString(CultureInfo.InvariantCulture)));

    private static long DecodeNextToken(string? token)
    {
        if (token is null)
        {
            return 0;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            if (text.StartsWith("dsql-local:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan("dsql-local:".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                return sequence;
            }
        }
        catch (FormatException)
        {
            // Falls through to the validation error below.
        }

        throw Errors.Field("nextToken", $"Value '{token}' at 'nextToken' failed to satisfy constraint: Member must be a token returned by a previous ListClusters call");
    }
}
