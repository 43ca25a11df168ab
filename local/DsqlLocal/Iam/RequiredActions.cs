using DsqlLocal.Model;

namespace DsqlLocal.Iam;

/// <summary>
/// Which IAM actions, on which resources and with which condition keys, each DSQL operation needs. Sources: the
/// "Required permissions" of CreateCluster and UpdateCluster in service-2.json, the Aurora DSQL user guide ("Using IAM
/// condition keys with Amazon Aurora DSQL": multi-Region creation needs PutMultiRegionProperties, PutWitnessRegion and
/// AddPeerCluster; dsql:WitnessRegion restricts the witness) and the Service Authorization Reference (one action per
/// other operation; ListClusters has no resource type, so "*"). Choices the sources leave open are marked Inferred.
/// </summary>
internal sealed class RequiredActions(string accountId, Func<string, ResourceFacts?> facts)
{
    private const string Partition = "aws";

    /// <summary>What a call carries besides its route, for the operations whose requirements depend on it.</summary>
    internal sealed record Call(
        string Operation,
        string Region,
        string? Identifier = null,
        string? ResourceArn = null,
        MultiRegionInput? MultiRegion = null,
        IReadOnlyDictionary<string, string>? Tags = null,
        IReadOnlyList<string>? TagKeys = null,
        bool WithPolicy = false);

    /// <summary>The existing cluster an ARN names (its tags, peers and policy), or null.</summary>
    public ResourceFacts? FactsOf(string arn) => facts(arn);

    public string ClusterArn(string region, string identifier) => $"arn:{Partition}:dsql:{region}:{accountId}:cluster/{identifier}";

    /// <summary>
    /// CreateCluster's resource is the documented <c>cluster/*</c> of the Region: the new cluster has no ARN yet when
    /// IAM is asked (Inferred: the service names this string in its own AccessDenied messages).
    /// </summary>
    public string NewClusterResource(string region) => ClusterArn(region, "*");

    public IReadOnlyList<IamRequest> For(Call call, string principalArn)
    {
        var list = new List<IamRequest>();
        var witness = call.MultiRegion?.WitnessRegion;
        void Add(string action, string resource, string region, bool requestTags = false, bool tagKeys = false)
        {
            var context = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase)
            {
                ["aws:RequestedRegion"] = [region],
                ["aws:PrincipalArn"] = [principalArn],
            };
            var account = principalArn.Split(':');
            if (account.Length > 4 && account[4].Length > 0)
            {
                context["aws:PrincipalAccount"] = [account[4]];
            }

            if (facts(resource) is { } existing)
            {
                foreach (var (key, value) in existing.Tags)
                {
                    context["aws:ResourceTag/" + key] = [value];
                }
            }

            if (requestTags && call.Tags is { Count: > 0 } tags)
            {
                foreach (var (key, value) in tags)
                {
                    context["aws:RequestTag/" + key] = [value];
                }

                context["aws:TagKeys"] = tags.Keys.ToList();
            }

            if (tagKeys && call.TagKeys is { Count: > 0 } keys)
            {
                context["aws:TagKeys"] = keys.ToList();
            }

            // Inferred: the user guide's example conditions CreateCluster and PutWitnessRegion alike on
            // dsql:WitnessRegion, so the key is in the context of every action of a call that names a witness.
            if (!string.IsNullOrEmpty(witness))
            {
                context["dsql:WitnessRegion"] = [witness];
            }

            list.Add(new IamRequest("dsql:" + action, resource, context));
        }

        var region = call.Region;
        switch (call.Operation)
        {
            case "CreateCluster":
            {
                var local = NewClusterResource(region);
                Add("CreateCluster", local, region, requestTags: true);
                if (call.Tags is { Count: > 0 })
                {
                    Add("TagResource", local, region, requestTags: true);
                }

                // The Service Authorization Reference maps CreateCluster to dsql:PutClusterPolicy too: asked when the
                // create carries a policy (Inferred: only then).
                if (call.WithPolicy)
                {
                    Add("PutClusterPolicy", local, region);
                }

                AddMultiRegion(call.MultiRegion, local, region, removedFrom: null, Add);
                break;
            }

            case "UpdateCluster":
            {
                var arn = ClusterArn(region, call.Identifier!);
                Add("UpdateCluster", arn, region);
                AddMultiRegion(call.MultiRegion, arn, region, removedFrom: arn, Add);
                break;
            }

            case "ListClusters":
                Add("ListClusters", "*", region);
                break;
            case "TagResource":
                Add("TagResource", call.ResourceArn!, region, requestTags: true);
                break;
            case "UntagResource":
                Add("UntagResource", call.ResourceArn!, region, tagKeys: true);
                break;
            case "ListTagsForResource":
                Add("ListTagsForResource", call.ResourceArn!, region);
                break;
            default:
                // GetCluster, DeleteCluster (the Service Authorization Reference maps it to dsql:DeleteCluster alone),
                // the cluster policy, GetVpcEndpointServiceName and (Inferred: on their cluster) the stream operations.
                Add(call.Operation, ClusterArn(region, call.Identifier!), region);
                break;
        }

        return list;
    }

    private void AddMultiRegion(MultiRegionInput? multiRegion, string local, string region, string? removedFrom, Action<string, string, string, bool, bool> add)
    {
        if (multiRegion is null)
        {
            return;
        }

        add("PutMultiRegionProperties", local, region, false, false);
        if (removedFrom is not null)
        {
            // UpdateCluster's Required permissions list GetCluster with the multi-Region ones (Inferred: only then).
            add("GetCluster", local, region, false, false);
        }

        if (!string.IsNullOrEmpty(multiRegion.WitnessRegion))
        {
            // "Checked both in the cluster Region and in the witness Region" (service-2.json). Inferred: in the witness
            // Region the resource is the same cluster path under the witness Region's ARN.
            add("PutWitnessRegion", local, region, false, false);
            var witnessResource = local.Replace($":dsql:{region}:", $":dsql:{multiRegion.WitnessRegion}:", StringComparison.Ordinal);
            add("PutWitnessRegion", witnessResource, multiRegion.WitnessRegion, false, false);
        }

        if (multiRegion.Clusters is not { } clusters)
        {
            return;
        }

        // The list may hold the cluster's own ARN (the service lists it); that is not a peer.
        var peers = clusters.Where(c => c != removedFrom).Distinct(StringComparer.Ordinal).ToList();
        if (peers.Count > 0)
        {
            add("AddPeerCluster", local, region, false, false);
            foreach (var peer in peers)
            {
                add("AddPeerCluster", peer, RegionOf(peer) ?? region, false, false);
            }
        }

        if (removedFrom is not null && facts(removedFrom) is { } current)
        {
            foreach (var removed in current.Peers.Where(p => !peers.Contains(p, StringComparer.Ordinal)))
            {
                // "Exact ARN of each removed peer cluster, in its own Region."
                add("RemovePeerCluster", removed, RegionOf(removed) ?? region, false, false);
            }
        }
    }

    private static string? RegionOf(string arn)
    {
        var parts = arn.Split(':');
        return parts.Length > 3 && parts[3].Length > 0 ? parts[3] : null;
    }
}
