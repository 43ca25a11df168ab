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
internal sealed partial class ClusterStore
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
    private readonly RegionCatalog _catalog;
    private readonly IDictionary<string, IReadOnlyList<string>> _refused;
    private long _nextSequence = 1;

    /// <summary>
    /// The user guide's error message for both cluster quotas ("Cluster quotas and database limits": single-Region and
    /// multi-Region clusters per account, ServiceQuotaExceededException, 402). The quota codes are Inferred.
    /// </summary>
    internal const string ClusterLimitMessage = "You have reached the cluster limit.";

    /// <summary>Identifiers drawn so far, ever (a reset keeps it); persisted, so a restart never redraws one.</summary>
    private long _identifiersIssued;

    /// <summary>
    /// What the data file holds (its snapshot with its journal): a copy of each cluster as last written, and the two
    /// counters. A save writes only the clusters that differ from these; a failed save puts memory back to them.
    /// </summary>
    private readonly Dictionary<string, ClusterRecord> _persisted = new(StringComparer.Ordinal);
    private long _persistedNextSequence = 1;
    private long _persistedIdentifiersIssued;

    public ClusterStore(DsqlLocalOptions options, Lifecycle lifecycle, TimeProvider time, StateFile? stateFile)
    {
        _time = time;
        _lifecycle = lifecycle;
        _accountId = options.AccountId;
        _multiRegionQuota = options.MultiRegionQuota;
        _singleRegionQuota = options.SingleRegionQuota;
        _stateFile = stateFile;
        _seed = options.Seed;
        _catalog = new RegionCatalog(options.Regions, options.WitnessRegions);
        _refused = options.RefusedOperations;
        _rules = new MultiRegionRules(_clusters, _accountId, _catalog);
        if (stateFile is null)
        {
            return;
        }

        if (stateFile.Load() is { } state)
        {
            Apply(state);
        }

        // Write once now (a compaction: the snapshot alone), so that an unwritable --data-file stops the start
        // instead of failing every mutation.
        try
        {
            Compact();
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            throw new DsqlLocalStartupException(
                "--data-file",
                $"--data-file: cannot write the data file {stateFile.Path}: {ex.Message}",
                isUsageError: true,
                ex);
        }
    }

    public RegionCatalog Catalog => _catalog;

    /// <summary>The tags, peers and policy IAM evaluates for a cluster ARN, or null when no such cluster exists (now).</summary>
    public Iam.ResourceFacts? FactsOf(string arn)
    {
        lock (_gate)
        {
            Sweep(Now());
            return _clusters.TryGetValue(arn, out var cluster)
                ? new Iam.ResourceFacts(new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal), cluster.Peers.ToList(), cluster.Policy)
                : null;
        }
    }

    /// <param name="creationFails">An injected create failure: the cluster becomes FAILED instead of ACTIVE.</param>
    public string Create(string region, CreateClusterInput input, bool creationFails = false)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            return Idempotent(region, "CreateCluster", input.ClientToken, input.Fingerprint, resourceId: null, () => CreateLocked(region, input, now, creationFails));
        }
    }

    public string Get(string region, string identifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            var cluster = Find(region, identifier);
            var status = Status(cluster, now);
            var response = new GetClusterOutput
            {
                Identifier = cluster.Identifier,
                Arn = cluster.Arn,
                Status = status,
                CreationTime = cluster.CreationTime,
                DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
                MultiRegionProperties = ClusterViews.MultiRegion(cluster),
                Tags = new Dictionary<string, string>(cluster.Tags, StringComparer.Ordinal),
                EncryptionDetails = ClusterViews.Encryption(cluster, status, now),
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
                .Select(c => SnapshotOf(c, now))
                .ToList();
        }
    }

    private ClusterSnapshot SnapshotOf(ClusterRecord c, DateTimeOffset now, string? status = null) => new(
        c.Identifier,
        c.Arn,
        c.Region,
        status ?? Status(c, now),
        c.CreationTime,
        c.DeletionProtectionEnabled,
        c.WitnessRegion,
        c.Peers.ToList(),
        new Dictionary<string, string>(c.Tags, StringComparer.Ordinal),
        c.KmsKeyArn);

    private ClusterRecord? FindAnywhere(string identifier) => _clusters.Values.FirstOrDefault(c => c.Identifier == identifier);

    /// <summary>
    /// Puts a cluster into <paramref name="status"/> (admin endpoint), for tests and incident rehearsals.
    /// DELETING and PENDING_DELETE start the deletion lifecycle from now, DELETED removes the cluster at once;
    /// any other status holds until <paramref name="duration"/> has passed (null: until an UpdateCluster, a
    /// DeleteCluster, a connection or <see cref="ClearStatus"/> moves it on). Null when no cluster has the identifier.
    /// </summary>
    public ClusterSnapshot? SetStatus(string identifier, string status, TimeSpan? duration)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            if (FindAnywhere(identifier) is not { } cluster)
            {
                return null;
            }

            cluster.ForcedStatus = null;
            cluster.ForcedUntil = null;
            switch (status)
            {
                case WireClusterStatus.Deleted:
                    _clusters.Remove(cluster.Arn);
                    foreach (var waiting in _clusters.Values.Where(c => c.Peers.Contains(cluster.Arn, StringComparer.Ordinal) && c.DeleteRequestedAt is not null && c.DeletionStartedAt is null))
                    {
                        waiting.DeletionStartedAt = now;
                    }

                    Save();
                    return SnapshotOf(cluster, now, WireClusterStatus.Deleted);
                case WireClusterStatus.Deleting:
                    cluster.DeletionStartedAt = now;
                    break;
                case WireClusterStatus.PendingDelete:
                    cluster.DeleteRequestedAt = now;
                    cluster.DeletionStartedAt = null;
                    break;
                default:
                    cluster.DeleteRequestedAt = null;
                    cluster.DeletionStartedAt = null;
                    cluster.ForcedStatus = status;
                    cluster.ForcedUntil = duration is { } d ? now + d : null;
                    break;
            }

            Save();
            return SnapshotOf(cluster, now);
        }
    }

    /// <summary>Removes a status forced by <see cref="SetStatus"/>; the derived status applies again.</summary>
    public ClusterSnapshot? ClearStatus(string identifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            if (FindAnywhere(identifier) is not { } cluster)
            {
                return null;
            }

            cluster.ForcedStatus = null;
            cluster.ForcedUntil = null;
            Save();
            return SnapshotOf(cluster, now);
        }
    }

    /// <summary>
    /// Simulates a client connecting to the cluster's endpoint (there is no data plane): the idle clock starts
    /// over, an IDLE cluster is ACTIVE at once, an INACTIVE one reactivates over the reactivation time (user guide
    /// "cluster lifecycle": a connection brings either back).
    /// </summary>
    public ClusterSnapshot? Connect(string identifier)
    {
        lock (_gate)
        {
            var now = Now();
            Sweep(now);
            if (FindAnywhere(identifier) is not { } cluster)
            {
                return null;
            }

            var status = Status(cluster, now);
            if (status is WireClusterStatus.Idle or WireClusterStatus.Inactive)
            {
                cluster.ForcedStatus = null;
                cluster.ForcedUntil = null;
                if (status == WireClusterStatus.Inactive && cluster.ReactivatingUntil is null)
                {
                    cluster.ReactivatingUntil = now + _lifecycle.Times.Reactivation;
                }
            }

            cluster.LastConnectedAt = now;
            Save();
            return SnapshotOf(cluster, now);
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _clusters.Clear();
            _tokens.Clear();
            _nextSequence = 1;
            Save(compact: true);
        }
    }

    private string CreateLocked(string region, CreateClusterInput input, DateTimeOffset now, bool creationFails)
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
            _rules.ValidateWitness(witness, region, errors);
        }

        MultiRegionRules.ValidatePeerCount(peers, errors);
        errors.ThrowIfAny();

        if (input.Policy is not null)
        {
            CheckLockout(input.Policy, input.BypassPolicyLockoutSafetyCheck);
        }

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
                ClusterLimitMessage);
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
            CreationFails = creationFails,
            PolicyVersion = input.Policy is null ? null : "1",
        };
        _clusters[arn] = cluster;

        var status = Status(cluster, now);
        var response = new CreateClusterOutput
        {
            Identifier = cluster.Identifier,
            Arn = cluster.Arn,
            Status = status,
            CreationTime = cluster.CreationTime,
            MultiRegionProperties = ClusterViews.MultiRegion(cluster),
            EncryptionDetails = ClusterViews.Encryption(cluster, status, now),
            DeletionProtectionEnabled = cluster.DeletionProtectionEnabled,
            Endpoint = ClusterViews.EndpointOf(cluster),
        };
        return JsonSerializer.Serialize(response, WireJson.Context.CreateClusterOutput);
    }

    private string UpdateLocked(string region, UpdateClusterInput input, DateTimeOffset now)
    {
        var cluster = Find(region, input.Identifier);
        var protectionOnly = input.DeletionProtectionEnabled is not null && input.KmsEncryptionKey is null && input.MultiRegion is null;
        EnsureAllowed(cluster, protectionOnly ? StatusRules.ProtectionOnly : "UpdateCluster", now);

        var errors = new FieldErrors();
        var newWitness = cluster.WitnessRegion;
        List<string>? newPeers = null;
        List<string> removedPeers = [];
        if (input.MultiRegion is { } multi)
        {
            var witness = NullIfEmpty(multi.WitnessRegion);
            if (witness is not null)
            {
                if (cluster.WitnessRegion is null)
                {
                    _rules.ValidateWitness(witness, region, errors);
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

            if (multi.Clusters is { } requested)
            {
                // The list is the set of peers the cluster is to have (the model's RemovePeerCluster note: a
                // current peer the list omits is removed). The service lists the cluster's own ARN in
                // GetCluster, so a client may send it back; it names no peer and is ignored (Inferred).
                var peers = requested.Where(arn => arn != cluster.Arn).Distinct(StringComparer.Ordinal).ToList();
                if (newWitness is null && peers.Count > 0)
                {
                    errors.Add("multiRegionProperties.clusters", peers[0], "Peer clusters require a witness Region; the cluster has none and none was given in multiRegionProperties.witnessRegion");
                }

                MultiRegionRules.ValidatePeerCount(peers, errors);
                errors.ThrowIfAny();
                newPeers = peers;
                removedPeers = cluster.Peers.Where(p => !peers.Contains(p, StringComparer.Ordinal)).ToList();
                foreach (var added in peers.Where(p => !cluster.Peers.Contains(p, StringComparer.Ordinal)))
                {
                    _rules.ValidatePeerLink(region, newWitness!, added, cluster.Arn);
                }
            }
        }

        errors.ThrowIfAny();
        if (newWitness is not null && cluster.WitnessRegion is null)
        {
            var multiInRegion = _clusters.Values.Count(c => c.Region == region && c.IsMultiRegion);
            if (multiInRegion >= _multiRegionQuota)
            {
                throw Errors.QuotaExceeded(region, "dsql-multi-region-clusters", ClusterLimitMessage);
            }
        }

        cluster.WitnessRegion = newWitness;
        foreach (var removed in removedPeers)
        {
            Unlink(cluster, removed, now);
        }

        if (newPeers is not null)
        {
            cluster.Peers = newPeers;
        }

        if (input.DeletionProtectionEnabled is { } protection)
        {
            // Documented: takes effect at once, even though the cluster then shows UPDATING for a while.
            cluster.DeletionProtectionEnabled = protection;
        }

        if (input.KmsEncryptionKey is { } key)
        {
            var newKey = KmsKeyArn(key, region);
            if (newKey != cluster.KmsKeyArn)
            {
                cluster.EncryptionUpdatingUntil = now + _lifecycle.Times.Updating;
            }

            cluster.KmsKeyArn = newKey;
        }

        if (cluster.LinkedAt is null && _rules.MutualPeer(cluster) is { } peer)
        {
            // The pair now lists each other: provisioning of both starts at this instant.
            cluster.LinkedAt = now;
            peer.LinkedAt = now;
        }

        // An update is a change in progress: UPDATING for the updating time (the documented answer is UPDATING,
        // whatever the status becomes next), and it ends any status the admin endpoint forced.
        cluster.UpdatingUntil = now + _lifecycle.Times.Updating;
        cluster.ForcedStatus = null;
        cluster.ForcedUntil = null;
        cluster.ReactivatingUntil = null;
        return StatusResponse(cluster, now, WireClusterStatus.Updating);
    }

    private string DeleteLocked(string region, DeleteClusterInput input, DateTimeOffset now)
    {
        var cluster = Find(region, input.Identifier);
        EnsureAllowed(cluster, "DeleteCluster", now);

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

    /// <summary>
    /// Removes the link between <paramref name="cluster"/> and the peer <paramref name="peerArn"/> on both sides
    /// (Inferred: dsql:RemovePeerCluster is checked on the removed peer in its own Region, so the service changes
    /// both). Both are multi-Region clusters without a peer afterwards, so PENDING_SETUP until linked again; a
    /// peer that was PENDING_DELETE waiting for this cluster starts deleting.
    /// </summary>
    private void Unlink(ClusterRecord cluster, string peerArn, DateTimeOffset now)
    {
        cluster.LinkedAt = null;
        if (!_clusters.TryGetValue(peerArn, out var peer))
        {
            return;
        }

        peer.Peers.Remove(cluster.Arn);
        peer.LinkedAt = null;
        if (peer.DeleteRequestedAt is not null && peer.DeletionStartedAt is null)
        {
            peer.DeletionStartedAt = now;
        }
    }

    /// <summary>Refuses <paramref name="operation"/> when the cluster's status does (see <see cref="StatusRules"/>).</summary>
    private void EnsureAllowed(ClusterRecord cluster, string operation, DateTimeOffset now)
    {
        var status = Status(cluster, now);
        if (!_refused.TryGetValue(status, out var refused) || !refused.Contains(operation, StringComparer.Ordinal))
        {
            return;
        }

        var message = (operation, status) switch
        {
            ("DeleteCluster", WireClusterStatus.PendingDelete or WireClusterStatus.Deleting) => $"Cluster {cluster.Identifier} is already {status}.",
            ("UpdateCluster" or StatusRules.ProtectionOnly, _) => $"Cluster {cluster.Identifier} is {status} and cannot be updated.",
            _ => $"Cluster {cluster.Identifier} is {status}; {operation} is not allowed in this status.",
        };
        throw Errors.Conflict(cluster.Identifier, message);
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
    private void Save(bool compact = false)
    {
        if (_stateFile is null)
        {
            return;
        }

        // What changed since the file was last written: clusters that differ or are new, clusters gone, tokens new.
        var put = new List<ClusterRecord>();
        foreach (var cluster in _clusters.Values)
        {
            if (!_persisted.TryGetValue(cluster.Arn, out var saved) || !cluster.SameAs(saved))
            {
                put.Add(cluster.Clone());
            }
        }

        var removed = _persisted.Keys.Where(arn => !_clusters.ContainsKey(arn)).ToList();
        var tokens = _tokens.Pending.ToList();
        try
        {
            if (compact || _tokens.Cleared || _stateFile.WantsCompaction)
            {
                Compact();
                return;
            }

            if (put.Count == 0 && removed.Count == 0 && tokens.Count == 0 && _nextSequence == _persistedNextSequence && _identifiersIssued == _persistedIdentifiersIssued)
            {
                return;
            }

            _stateFile.Append(new JournalEntry
            {
                Put = put.Count > 0 ? put : null,
                Remove = removed.Count > 0 ? removed : null,
                Tokens = tokens.Count > 0 ? tokens : null,
                NextSequence = _nextSequence,
                IdentifiersIssued = _identifiersIssued,
            });
        }
        catch (Exception ex) when (IsWriteFailure(ex))
        {
            // Memory goes back to what the file holds, so a retry cannot create a duplicate.
            _clusters.Clear();
            foreach (var (arn, saved) in _persisted)
            {
                _clusters[arn] = saved.Clone();
            }

            _tokens.Rollback();
            _nextSequence = _persistedNextSequence;
            _identifiersIssued = _persistedIdentifiersIssued;
            throw Errors.Internal(
                $"The state file {_stateFile.Path} could not be written ({ex.Message}); the request had no effect and can be retried.");
        }

        foreach (var cluster in put)
        {
            _persisted[cluster.Arn] = cluster;
        }

        foreach (var arn in removed)
        {
            _persisted.Remove(arn);
        }

        _tokens.Commit();
        _persistedNextSequence = _nextSequence;
        _persistedIdentifiersIssued = _identifiersIssued;
    }

    /// <summary>Writes the whole state as a new snapshot (atomically, see <see cref="StateFile"/>); the journal starts over.</summary>
    private void Compact()
    {
        _stateFile!.Write(StateFile.Serialize(Capture()));
        _persisted.Clear();
        foreach (var (arn, cluster) in _clusters)
        {
            _persisted[arn] = cluster.Clone();
        }

        _tokens.Commit();
        _persistedNextSequence = _nextSequence;
        _persistedIdentifiersIssued = _identifiersIssued;
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
