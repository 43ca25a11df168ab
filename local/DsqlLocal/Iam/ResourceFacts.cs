namespace DsqlLocal.Iam;

/// <summary>What IAM reads from an existing cluster: its tags (aws:ResourceTag/*) and current peers (RemovePeerCluster).</summary>
internal sealed record ResourceFacts(IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Peers);
