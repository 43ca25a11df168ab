using System.Diagnostics;
using System.Globalization;
using DsqlLocal;
using DsqlLocal.Model;
using DsqlLocal.Persistence;

namespace Workflows.Bench;

/// <summary>
/// `dsql-persistence [--clusters N] [--writes W]`: DSQL Local's data file under load. Seeds a state of N clusters and N
/// remembered client tokens (written directly in the state format, so seeding takes no time of its own), starts the
/// store on it, then times W mutations (TagResource on clusters spread over the state), each persisted before it
/// returns, as every request is. Prints writes/s and the data file's sizes. No assertions: figures go to the README.
/// </summary>
internal static class DsqlPersistenceBench
{
    public static int Run(int clusters, int writes)
    {
        var directory = Directory.CreateTempSubdirectory("dsql-persistence-bench-").FullName;
        try
        {
            var dataFile = Path.Combine(directory, "dsql-local.json");
            var start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", CultureInfo.InvariantCulture);
            new StateFile(dataFile).Save(Seed(clusters, start));
            var options = new DsqlLocalOptions { DataFile = dataFile, SingleRegionQuota = clusters + 1 };
            var lifecycle = new Lifecycle(new LifecycleTimes(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), null, null, TimeSpan.FromSeconds(30)));
            var time = new FixedTime(start.AddHours(1));

            var load = Stopwatch.StartNew();
            var store = new ClusterStore(options, lifecycle, time, new StateFile(dataFile));
            load.Stop();

            // Warm-up (JIT), not timed.
            for (var i = 0; i < 20; i++)
            {
                store.Tag("us-east-1", Arn(i * 7919 % clusters), new Dictionary<string, string> { ["bench"] = "warm" + i });
            }

            var timer = Stopwatch.StartNew();
            for (var i = 0; i < writes; i++)
            {
                store.Tag("us-east-1", Arn(i * 7919 % clusters), new Dictionary<string, string> { ["bench"] = "w" + i.ToString(CultureInfo.InvariantCulture) });
            }

            timer.Stop();
            var bytes = Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"clusters: {clusters}  client tokens: {clusters}  writes: {writes}  start (load + first write): {load.Elapsed.TotalMilliseconds:F0} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"writes/s: {writes / timer.Elapsed.TotalSeconds:F1}  ({timer.Elapsed.TotalMilliseconds / writes:F2} ms per write)  files on disk: {bytes / 1024.0 / 1024.0:F1} MiB"));
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Arn(int n) => $"arn:aws:dsql:us-east-1:123456789012:cluster/{Id(n)}";

    private static string Id(int n) => n.ToString("D26", CultureInfo.InvariantCulture).Replace('0', 'a');

    private static PersistedState Seed(int clusters, DateTimeOffset at)
    {
        var state = new PersistedState { NextSequence = clusters + 1, IdentifiersIssued = clusters };
        for (var n = 0; n < clusters; n++)
        {
            state.Clusters.Add(new ClusterRecord
            {
                Identifier = Id(n),
                Arn = Arn(n),
                Region = "us-east-1",
                AccountId = "123456789012",
                Sequence = n + 1,
                CreationTime = at,
                DeletionProtectionEnabled = false,
                Tags = new(StringComparer.Ordinal) { ["team"] = "bench", ["n"] = n.ToString(CultureInfo.InvariantCulture) },
            });
            state.ClientTokens.Add(new IdempotencyRecord
            {
                Key = $"us-east-1\nCreateCluster\ntoken-{n}",
                Fingerprint = "CreateCluster\n{\"deletionProtectionEnabled\":false,\"clientToken\":\"token-" + n + "\"}",
                ResponseJson = $"{{\"identifier\":\"{Id(n)}\",\"arn\":\"{Arn(n)}\",\"status\":\"CREATING\",\"creationTime\":1767225600,\"deletionProtectionEnabled\":false}}",
                CreatedAt = at,
            });
        }

        return state;
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
