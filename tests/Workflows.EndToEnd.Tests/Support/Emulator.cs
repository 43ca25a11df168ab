using System.Text.Json.Nodes;
using DsqlLocal;
using Microsoft.Extensions.Time.Testing;

namespace Workflows.EndToEnd.Tests.Support;

/// <summary>
/// Reads what the embedded emulator left in a state directory the independent way: a fresh DSQL Local on the
/// same data file, at the virtual time and with the durations the command saved.
/// </summary>
internal static class Emulator
{
    public static async Task<IReadOnlyList<ClusterSnapshot>> ClustersAsync(string stateDirectory)
    {
        var saved = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(stateDirectory, "embedded.json")))!;
        var now = DateTimeOffset.Parse(saved["virtualNow"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        await using var server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions
            {
                DataFile = Path.Combine(stateDirectory, "dsql-local.json"),
                ProvisioningTime = TimeSpan.FromSeconds(saved["provisioningSeconds"]!.GetValue<int>()),
                DeletionTime = TimeSpan.FromSeconds(saved["deletionSeconds"]!.GetValue<int>()),
            },
            new FakeTimeProvider(now),
            inProcess: true);
        return server.GetClusters();
    }
}
