namespace DsqlLocal.Iam;

/// <summary>
/// What IAM reads from an existing cluster: its tags (aws:ResourceTag/*), current peers (RemovePeerCluster) and its
/// resource-based policy (evaluated with the caller's identity-based policies).
/// </summary>
internal sealed record ResourceFacts(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Peers, string? Policy = null);
