using System.Net;
using System.Text.Json;
using DsqlLocal.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace DsqlLocal.Tests;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dsql-local-tests-").FullName;

    private string DataFile => Path.Combine(_directory, "state.json");

    [Fact]
    public async Task Restart_SameDataFile_KeepsClustersAndContinuesLifecycle()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        string id;
        string firstAnswer;
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time))
        {
            var created = await dsql.CreateAsync("""{"clientToken":"persisted","tags":{"k":"v"}}""");
            created.Status.Should().Be(HttpStatusCode.OK);
            firstAnswer = created.Body;
            id = created.String("identifier");
            dsql.Advance(TimeSpan.FromSeconds(60));
        }

        await using (var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time))
        {
            (await restarted.StatusAsync(id)).Should().Be("CREATING");
            (await restarted.GetAsync(id)).Json.GetProperty("tags").GetProperty("k").GetString().Should().Be("v");
            restarted.Advance(TimeSpan.FromSeconds(60));
            (await restarted.StatusAsync(id)).Should().Be("ACTIVE");

            var replay = await restarted.CreateAsync("""{"clientToken":"persisted","tags":{"k":"v"}}""");
            replay.Body.Should().Be(firstAnswer);
            restarted.Server.GetClusters().Should().HaveCount(1);
        }
    }

    [Fact]
    public async Task Restart_DuringPendingDelete_ContinuesMultiRegionDeletion()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        string aId;
        string bId;
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time))
        {
            var a = await dsql.CreateOkAsync("""{"multiRegionProperties":{"witnessRegion":"us-west-2"},"deletionProtectionEnabled":false}""");
            aId = a.GetProperty("identifier").GetString()!;
            var b = await dsql.CreateOkAsync(
                $$$"""{"multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["{{{a.GetProperty("arn").GetString()}}}"]},"deletionProtectionEnabled":false}""",
                "us-east-2");
            bId = b.GetProperty("identifier").GetString()!;
            await dsql.UpdateAsync(aId, $$$"""{"multiRegionProperties":{"clusters":["{{{b.GetProperty("arn").GetString()}}}"]}}""");
            (await dsql.DeleteAsync(aId)).String("status").Should().Be("PENDING_DELETE");
        }

        await using (var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time))
        {
            (await restarted.StatusAsync(aId)).Should().Be("PENDING_DELETE");
            (await restarted.DeleteAsync(bId, "us-east-2")).String("status").Should().Be("DELETING");
            restarted.Advance(TimeSpan.FromSeconds(30));
            (await restarted.GetAsync(aId)).Status.Should().Be(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Save_AfterMutations_ReplacesFileAtomicallyWithNoTempLeft()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        for (var i = 0; i < 3; i++)
        {
            await dsql.CreateOkAsync();
        }

        Directory.GetFiles(_directory).Select(Path.GetFileName).Should().Equal("state.json");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(DataFile));
        doc.RootElement.GetProperty("clusters").GetArrayLength().Should().Be(3);
    }

    [Fact]
    public async Task Start_CorruptDataFile_FailsWithClearError()
    {
        await File.WriteAllTextAsync(DataFile, "{ not json");

        var start = () => DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        (await start.Should().ThrowAsync<InvalidDataException>()).WithMessage("*state.json*");
    }

    [Fact]
    public async Task Start_WithoutDataFile_KeepsNothingOnDisk()
    {
        await using (var dsql = await DsqlFixture.StartAsync())
        {
            await dsql.CreateOkAsync();
        }

        Directory.GetFiles(_directory).Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
