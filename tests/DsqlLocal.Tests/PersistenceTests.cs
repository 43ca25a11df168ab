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

    [Theory]
    [InlineData("""{"version":1,"clusters":null}""", "clusters")]
    [InlineData("""{"version":1,"clusters":[],"clientTokens":null}""", "clientTokens")]
    [InlineData("""{}""", "version")]
    [InlineData("""{"version":1}""", "clusters")]
    [InlineData("""{"clusters":[]}""", "version")]
    [InlineData("""{"version":2,"clusters":[]}""", "version 2")]
    [InlineData("""{"version":1,"clusters":[],"settings":{"theme":"dark"}}""", "settings")]
    [InlineData("""{"name":"my app config","port":8080}""", "name")]
    [InlineData("""{"version":1,"clusters":[null]}""", "clusters[0]")]
    [InlineData("""null""", "null")]
    public async Task Start_JsonThatIsNotAStateFile_FailsNamingFileAndLeavesItAlone(string content, string reason)
    {
        await File.WriteAllTextAsync(DataFile, content);

        var start = () => DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        (await start.Should().ThrowAsync<InvalidDataException>())
            .Which.Message.Should().Contain(DataFile).And.Contain("not a DSQL Local state file").And.Contain(reason);
        (await File.ReadAllTextAsync(DataFile)).Should().Be(content);
    }

    [Fact]
    public async Task Cli_DataFileWithNullClusters_ExitsNonZeroWithOneLine()
    {
        await File.WriteAllTextAsync(DataFile, """{"version":1,"clusters":null}""");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await DsqlLocal.Cli.CommandLine.RunAsync(["--port", "0", "--data-file", DataFile], output, error);

        exit.Should().Be(1);
        error.ToString().TrimEnd().Should().NotContain("\n").And.Contain(DataFile).And.Contain("clusters").And.NotContain(" at ");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task Start_DataFileWrittenByEarlierRun_LoadsUnderStrictReading()
    {
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile))
        {
            await dsql.CreateOkAsync("""{"clientToken":"t","tags":{"k":"v"},"multiRegionProperties":{"witnessRegion":"us-west-2"}}""");
        }

        await using var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        restarted.Server.GetClusters().Should().ContainSingle().Which.Tags.Should().ContainKey("k");
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
