using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DsqlLocal.Http;
using DsqlLocal.Persistence;
using DsqlLocal.Wire;

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
    private readonly int? _seed;
    private readonly Dictionary<string, ClusterRecord> _clusters = new(StringComparer.Ordinal);
    private readonly ClientTokenCache _tokens = new();
    private readonly MultiRegionRules _rules;
    private long _nextSequence = 1;

    /// <summary>Identifiers drawn so far, ever (a reset keeps it); persisted, so a restart never redraws one.</summary>
    private long _identifiersIssued;

    /// <summary>The state as last written to the data file; memory is put back to it when a save fails.</summary>
    private byte[]? _lastSaved;

    public ClusterStore(DsqlLocalOptions options, Lifecycle lifecycle, TimeProvider time, StateFile? stateFile)
    {
        _time = time;
        _lifecycle = lifecycle;
        _accountId = options.AccountId;
        _multiRegionQuota = options.MultiRegionQuota;
        _singleRegionQuota = options.SingleRegionQuota;
        _stateFile = stateFile;
        _seed = options.Seed;
        _rules = new MultiRegionRules(_clusters, _accountId);
        if (stateFile is null)
        {
            return;
        }

        if (stateFile.Load() is { } state)
        {
            Apply(state);
        }

        // Write once now, so that an unwritable --data-file stops the start instead of failing every mutation.
        var initial = StateFile.Serialize(Capture());
        try
        {
            stateFile.Write(initial);
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            throw new DsqlLocalStartupException(
                "--data-file",
                $"--data-file: cannot write the data file {stateFile.Path}: {ex.Message}",
                isUsageError: true,
                ex);
        }

        _lastSaved = initial;
    }

    public string Create(string region, CreateClusterInput input)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "CreateCluster", input.ClientToken, input.Fingerprint, resourceId: null, () => CreateLocked(region, input, now));
        }
    }

    public string Get(string region, string identifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            var cluster = Find(region, identifier);
            var response = new GetClusterOutput
            {
                Identifier = cluster.Identifier,
                Arn = cluster.Arn,
                Status = Status(cluster, now),
                CreationTime = cluster.CreationTime,
                DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
                MultiRegionProperties = ClusterViews.MultiRegion(cluster),
                Tags = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal),
                EncryptionDetails = ClusterViews.Encryption(cluster),
                Endpoint = ClusterViews.EndpointOf(cluster),
            };
            return JsonSerializer.Serialize(response, WireJson.Context.GetClusterOutput);
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
            var response = new ListClustersOutput
            {
                Clusters = page.Select(c => new WireClusterSummary { Identifier = c.Identifier, Arn = c.Arn }).ToList(),
                NextToken = inRegion.Count > page.Count ? EncodeNextToken(page[^1].Sequence) : null,
            };
            return JsonSerializer.Serialize(response, WireJson.Context.ListClustersOutput);
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
            var response = new ListTagsForResourceOutput { Tags = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal) };
            return JsonSerializer.Serialize(response, WireJson.Context.ListTagsForResourceOutput);
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
            MultiRegionRules.ValidateWitness(witness, region, errors);
        }

        MultiRegionRules.ValidatePeerCount(peers, errors);
        errors.ThrowIfAny();

        var identifier = NewIdentifier();
        var arn = ArnOf(region, identifier);
        if (peers.Count == 1)
        {
            _rules.ValidatePeerLink(region, witness!, peers[0], arn);
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

        var response = new CreateClusterOutput
        {
            Identifier = cluster.Identifier,
            Arn = cluster.Arn,
            Status = Status(cluster, now),
            CreationTime = cluster.CreationTime,
            MultiRegionProperties = ClusterViews.MultiRegion(cluster),
            EncryptionDetails = ClusterViews.Encryption(cluster),
            DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
            Endpoint = ClusterViews.EndpointOf(cluster),
        };
        return JsonSerializer.Serialize(response, WireJson.Context.CreateClusterOutput);
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
                    MultiRegionRules.ValidateWitness(witness, region, errors);
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

                MultiRegionRules.ValidatePeerCount(peers, errors);
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
                        _rules.ValidatePeerLink(region, newWitness!, newPeers[0], cluster.Arn);
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

        if (cluster.LinkedAt is null && _rules.MutualPeer(cluster) is { } peer)
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
                WireValidationReason.DeletionProtectionEnabled,
                $"Cluster {cluster.Identifier} has deletion protection enabled. Disable it with UpdateCluster (deletionProtectionEnabled=false) before deleting the cluster.");
        }

        var peer = _rules.MutualPeer(cluster);
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

        // With a deletion time of 0 the cluster is already gone at this instant, but the service's DeleteCluster
        // never answers DELETED: it answers DELETING (or PENDING_DELETE) and the cluster then disappears.
        return StatusResponse(cluster, now, _lifecycle.StatusAt(cluster, now) ?? WireClusterStatus.Deleting);
    }

    /// <param name="resourceId">The cluster named in a token conflict; null for CreateCluster, which names none yet.</param>
    private string Idempotent(string region, string operation, string? token, string fingerprint, string? resourceId, Func<string> action)
    {
        if (token is not null && _tokens.Replay(region, operation, token, fingerprint, resourceId) is { } replay)
        {
            return replay;
        }

        var response = action();
        if (token is not null)
        {
            _tokens.Remember(region, operation, token, fingerprint, response, Now());
        }

        Save();
        return response;
    }

    private ClusterRecord Find(string region, string identifier)
    {
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

    /// <summary>
    /// Persists the state after a mutation. If the file cannot be written, the in-memory state is put back to
    /// what the file holds, so memory never gets ahead of the file: the request fails with a 500 and had no
    /// effect, which makes retrying it safe.
    /// </summary>
    private void Save()
    {
        if (_stateFile is null)
        {
            return;
        }

        var json = StateFile.Serialize(Capture());
        try
        {
            _stateFile.Write(json);
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            Apply(StateFile.Parse(_lastSaved!, _stateFile.Path));
            throw Errors.Internal(
                $"The state file {_stateFile.Path} could not be written ({ex.Message}); the request had no effect and can be retried.");
        }

        _lastSaved = json;
    }

    private PersistedState Capture() => new()
    {
        NextSequence = _nextSequence,
        IdentifiersIssued = _identifiersIssued,
        Clusters = _clusters.Values.OrderBy(c => c.Sequence).ToList(),
        ClientTokens = _tokens.Records.ToList(),
    };

    private void Apply(PersistedState state)
    {
        _clusters.Clear();
        _tokens.Clear();
        _nextSequence = state.NextSequence;
        _identifiersIssued = state.IdentifiersIssued;
        foreach (var cluster in state.Clusters)
        {
            _clusters[cluster.Arn] = cluster;
        }

        _tokens.Load(state.ClientTokens);
    }

    private static bool IsWriteFailure(Exception ex) =>
        ex is IOException or UnauthorizedAccessException or NotSupportedException or System.Security.SecurityException;

    private string Status(ClusterRecord cluster, DateTimeOffset now) => _lifecycle.StatusAt(cluster, now) ?? WireClusterStatus.Deleted;

    private string StatusResponse(ClusterRecord cluster, DateTimeOffset now, string? status = null) => JsonSerializer.Serialize(
        new ClusterStatusOutput
        {
            Identifier = cluster.Identifier,
            Arn = cluster.Arn,
            Status = status ?? Status(cluster, now),
            CreationTime = cluster.CreationTime,
        },
        WireJson.Context.ClusterStatusOutput);

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
            var id = DrawIdentifier(_identifiersIssued++);
            if (!_clusters.Values.Any(c => c.Identifier == id))
            {
                return id;
            }
        }
    }

    /// <summary>
    /// With a seed, the identifier is a pure function of (seed, draw number) rather than the next value of an
    /// RNG that would start over at each start: the draw number is persisted, so after a restart on the same
    /// data file the sequence continues and the identifier of a deleted cluster is never issued again (an old
    /// clientToken replay could otherwise name a different, new cluster). Without a seed, the bytes are random.
    /// </summary>
    private string DrawIdentifier(long drawNumber)
    {
        Span<byte> bytes = stackalloc byte[32];
        if (_seed is { } seed)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"dsql-local-identifier:{seed}:{drawNumber}")), bytes);
        }
        else
        {
            RandomNumberGenerator.Fill(bytes);
        }

        // 26 of the 32 bytes, each reduced modulo 36 (the slight bias is irrelevant for an emulator).
        var chars = new char[26];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = IdAlphabet[bytes[i] % IdAlphabet.Length];
        }

        return new string(chars);
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
