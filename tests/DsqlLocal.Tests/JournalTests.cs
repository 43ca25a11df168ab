using System.Reflection;
using System.Text;
using DsqlLocal.Model;
using DsqlLocal.Persistence;
using DsqlLocal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace DsqlLocal.Tests;

/// <summary>
/// The data file's journal: a mutation appends what it changed after the snapshot instead of rewriting the whole
/// state; a torn last line is ignored on load; the journal is compacted into a new snapshot atomically.
/// </summary>
public sealed class JournalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dsql-local-journal-").FullName;

    private string DataFile => Path.Combine(_directory, "state.json");

    /// <summary>The lines after the snapshot (the first JSON document of the file).</summary>
    private List<string> JournalLines()
    {
        var bytes = File.ReadAllBytes(DataFile);
        var reader = new System.Text.Json.Utf8JsonReader(bytes);
        reader.Read();
        reader.Skip();
        return Encoding.UTF8.GetString(bytes, (int)reader.BytesConsumed, bytes.Length - (int)reader.BytesConsumed)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }

    [Fact]
    public async Task Mutation_WithDataFile_AppendsOneLineWithOnlyWhatChanged()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        var first = await dsql.CreateOkAsync("""{"clientToken":"one"}""");
        await dsql.CreateOkAsync();
        var snapshotBefore = File.ReadAllBytes(DataFile).Length;

        await dsql.TagAsync(first.GetProperty("arn").GetString()!, """{"tags":{"k":"v"}}""");

        var lines = JournalLines();
        lines.Should().HaveCount(3, "one line per mutation after the snapshot written at start");
        lines[^1].Should().Contain("\"k\":\"v\"").And.Contain(first.GetProperty("identifier").GetString()!);
        lines[^1].Should().NotContain("clientToken", "the tag wrote only the cluster it changed");
        lines[0].Should().Contain("\"tokens\"", "the first create remembered its client token");
        File.ReadAllBytes(DataFile).Length.Should().Be(snapshotBefore + Encoding.UTF8.GetByteCount(lines[^1]) + 1);
    }

    [Fact]
    public async Task Restart_AfterJournaledMutations_LoadsSnapshotAndJournal()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        string kept;
        string gone;
        await using (var dsql = await DsqlFixture.StartAsync(o => { o.DataFile = DataFile; o.DeletionTime = TimeSpan.Zero; }, time))
        {
            kept = (await dsql.CreateOkAsync("""{"clientToken":"a","tags":{"t":"1"}}""")).GetProperty("identifier").GetString()!;
            gone = (await dsql.CreateOkAsync("""{"deletionProtectionEnabled":false}""")).GetProperty("identifier").GetString()!;
            (await dsql.DeleteAsync(gone)).Status.Should().Be(System.Net.HttpStatusCode.OK);
            dsql.Advance(TimeSpan.FromSeconds(1));
            dsql.Server.GetClusters().Should().ContainSingle();
        }

        await using var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time);

        restarted.Server.GetClusters().Should().ContainSingle().Which.Identifier.Should().Be(kept);
        (await restarted.CreateOkAsync("""{"clientToken":"a","tags":{"t":"1"}}""")).GetProperty("identifier").GetString().Should().Be(kept, "the token came back from the journal");
        JournalLines().Should().BeEmpty("the start compacted the journal into the snapshot");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(20)]
    public async Task Load_TornLastLine_IgnoredAndTheLinesBeforeKept(int cut)
    {
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile))
        {
            for (var i = 0; i < 3; i++)
            {
                await dsql.CreateOkAsync();
            }
        }

        // A crash in the middle of the last append: the line is cut short.
        var bytes = File.ReadAllBytes(DataFile);
        File.WriteAllBytes(DataFile, bytes[..^cut]);

        await using var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        restarted.Server.GetClusters().Should().HaveCount(cut == 1 ? 3 : 2, cut == 1 ? "only the newline was lost: the line is whole" : "the torn third create never answered");
        await restarted.CreateOkAsync();
        restarted.Server.GetClusters().Should().HaveCount(cut == 1 ? 4 : 3);
    }

    [Fact]
    public async Task Load_DamagedLineBeforeOthers_RefusedNamingTheLine()
    {
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile))
        {
            for (var i = 0; i < 3; i++)
            {
                await dsql.CreateOkAsync();
            }
        }

        var lines = JournalLines();
        lines.Should().HaveCount(3);
        var text = File.ReadAllText(DataFile);
        File.WriteAllText(DataFile, text.Replace(lines[1], "{\"put\":[{\"damaged", StringComparison.Ordinal));

        var start = () => DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        (await start.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("journal line 2").And.Contain(DataFile);
    }

    [Fact]
    public void Save_JournalLongerThanSnapshot_CompactsIntoASnapshotAlone()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        var store = Store(new StateFile(DataFile) { CompactionFloorBytes = 0 }, time);
        var arn = Created(store);
        var sizes = new List<int>();

        for (var i = 0; i < 20; i++)
        {
            store.Tag("us-east-1", arn, new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            sizes.Add(JournalLines().Count);
        }

        sizes.Should().Contain(0, "some mutation compacted").And.Contain(n => n > 0, "others appended");
        sizes.Max().Should().BeLessThan(5, "the journal never grows far past the snapshot's size");
        new StateFile(DataFile).Load()!.Clusters.Single().Tags["n"].Should().Be("19");
        Directory.GetFiles(_directory).Should().ContainSingle("no temp file is left");
    }

    [Fact]
    public async Task Reset_WithDataFile_WritesASnapshotWithoutClustersOrTokens()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        await dsql.CreateOkAsync("""{"clientToken":"x"}""");

        dsql.Server.Reset();

        JournalLines().Should().BeEmpty();
        var state = new StateFile(DataFile).Load()!;
        state.Clusters.Should().BeEmpty();
        state.ClientTokens.Should().BeEmpty();
        state.IdentifiersIssued.Should().Be(1, "identifiers are never reused, even after a reset");
    }

    [Fact]
    public void SameAsAndClone_EveryStoredProperty_Covered()
    {
        var record = new ClusterRecord { Identifier = "a", Arn = "arn", Region = "r", AccountId = "1" };
        record.Clone().SameAs(record).Should().BeTrue();

        foreach (var property in typeof(ClusterRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var changed = record.Clone();
            property.SetValue(changed, Different(property.PropertyType, property.GetValue(changed)));
            changed.SameAs(record).Should().BeFalse($"a change of {property.Name} must be journaled");
            changed.Clone().SameAs(changed).Should().BeTrue($"Clone copies {property.Name}");
        }

        var stream = new StreamRecord { Identifier = "s", Arn = "a", KinesisStreamArn = "k", RoleArn = "r", Ordering = "UNORDERED", Format = "JSON" };
        foreach (var property in typeof(StreamRecord).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var changed = stream.Clone();
            property.SetValue(changed, Different(property.PropertyType, property.GetValue(changed)));
            changed.SameAs(stream).Should().BeFalse($"a change of stream {property.Name} must be journaled");
        }
    }

    private static object Different(Type type, object? current) => type switch
    {
        _ when type == typeof(string) => current + "x",
        _ when type == typeof(long) => (long)current! + 1,
        _ when type == typeof(bool) => !(bool)current!,
        _ when type == typeof(DateTimeOffset) => ((DateTimeOffset)current!).AddSeconds(1),
        _ when type == typeof(DateTimeOffset?) => DsqlFixture.Epoch,
        _ when type == typeof(Dictionary<string, string>) => new Dictionary<string, string>(StringComparer.Ordinal) { ["k"] = "v" },
        _ when type == typeof(List<string>) => new List<string> { "p" },
        _ when type == typeof(List<StreamRecord>) => new List<StreamRecord> { new() { Identifier = "s", Arn = "a", KinesisStreamArn = "k", RoleArn = "r", Ordering = "UNORDERED", Format = "JSON" } },
        _ => throw new InvalidOperationException($"no different value for {type}: extend the test and ClusterRecord.SameAs"),
    };

    private static ClusterStore Store(StateFile file, TimeProvider time)
    {
        var options = new DsqlLocalOptions { DataFile = file.Path };
        var lifecycle = new Lifecycle(new LifecycleTimes(TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), null, null, TimeSpan.FromSeconds(30)));
        return new ClusterStore(options, lifecycle, time, file);
    }

    private static string Created(ClusterStore store)
    {
        var input = DsqlLocal.Http.RequestParser.ParseCreate("""{"deletionProtectionEnabled":false}"""u8);
        using var doc = System.Text.Json.JsonDocument.Parse(store.Create("us-east-1", input));
        return doc.RootElement.GetProperty("arn").GetString()!;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
