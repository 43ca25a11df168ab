using Workflows.Core.Errors;
using Workflows.Core.Requests;

namespace Workflows.Core.Steps;

internal static class ClusterLists
{
    /// <summary>1 to <paramref name="max"/> valid references, none twice.</summary>
    public static List<ClusterRef> From(List<ClusterRefInput?>? raw, string field, int max)
    {
        if (raw is null || raw.Count == 0)
        {
            throw new InvalidRequestException(field, $"must list 1 to {max} clusters");
        }

        if (raw.Count > max)
        {
            throw new InvalidRequestException(field, $"lists {raw.Count} clusters; at most {max} are allowed");
        }

        var clusters = new List<ClusterRef>(raw.Count);
        for (var i = 0; i < raw.Count; i++)
        {
            var cluster = ClusterRef.From(raw[i], $"{field}[{i}]");
            var earlier = clusters.IndexOf(cluster);
            if (earlier >= 0)
            {
                throw new InvalidRequestException($"{field}[{i}]", $"names the same cluster as {field}[{earlier}] ({cluster})");
            }

            clusters.Add(cluster);
        }

        return clusters;
    }
}
