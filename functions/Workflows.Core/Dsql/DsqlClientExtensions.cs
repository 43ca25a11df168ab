using System.Runtime.CompilerServices;

namespace Workflows.Core.Dsql;

public static class DsqlClientExtensions
{
    /// <summary>Every cluster in the client's Region, following nextToken page by page.</summary>
    public static async IAsyncEnumerable<ClusterSummary> ListAllClustersAsync(
        this IDsqlClient client,
        int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        string? token = null;
        do
        {
            var page = await client.ListClustersAsync(new ListClustersRequest { MaxResults = pageSize, NextToken = token }, cancellationToken);
            foreach (var summary in page.Clusters)
            {
                yield return summary;
            }

            token = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (token is not null);
    }
}
