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
    public async Task Restart_SameDataFile_KeepsForcedStatusPolicyAndStreams()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        string id;
        await using (var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time))
        {
            id = await ServiceStatesTests.ActiveClusterAsync(dsql);
            var policy = JsonSerializer.Serialize(new { policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"dsql:GetCluster"}]}""" });
            (await dsql.SendAsync(new SignedRequest { Method = "POST", ResourcePath = "/cluster/{identifier}/policy", PathResources = { ["{identifier}"] = id }, Body = policy }))
                .Status.Should().Be(HttpStatusCode.OK);
            (await dsql.SendAsync(new SignedRequest
            {
                Method = "POST",
                ResourcePath = "/stream/{clusterIdentifier}",
                PathResources = { ["{clusterIdentifier}"] = id },
                Body = """{"targetDefinition":{"kinesis":{"streamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/s","roleArn":"arn:aws:iam::123456789012:role/r"}},"ordering":"UNORDERED","format":"JSON"}""",
            })).Status.Should().Be(HttpStatusCode.OK);
            dsql.Server.SetClusterStatus(id, "INACTIVE");
        }

        await using var restarted = await DsqlFixture.StartAsync(o => o.DataFile = DataFile, time);

        (await restarted.StatusAsync(id)).Should().Be("INACTIVE");
        (await restarted.SendAsync(new SignedRequest { ResourcePath = "/cluster/{identifier}/policy", PathResources = { ["{identifier}"] = id } }))
            .String("policyVersion").Should().Be("1");
        (await restarted.SendAsync(new SignedRequest { ResourcePath = "/stream/{clusterIdentifier}", PathResources = { ["{clusterIdentifier}"] = id } }))
            .Json.GetProperty("streams").GetArrayLength().Should().Be(1);
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
        new DsqlLocal.Persistence.StateFile(DataFile).Load()!.Clusters.Should().HaveCount(3);
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
    public async Task Mutation_SaveFails_Returns500AndLeavesMemoryAsTheFile()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        var first = await dsql.CreateOkAsync("""{"clientToken":"first","tags":{"k":"v"}}""");
        var arn = first.GetProperty("arn").GetString()!;
        File.Delete(DataFile);
        Directory.CreateDirectory(DataFile); // The rename over the data file now fails.

        var failedCreate = await dsql.CreateAsync("""{"clientToken":"second"}""");
        var failedTag = await dsql.TagAsync(arn, """{"tags":{"k":"changed","new":"x"}}""");

        failedCreate.Status.Should().Be(HttpStatusCode.InternalServerError);
        failedCreate.ErrorType.Should().Be("InternalServerException");
        failedCreate.String("message").Should().Contain("state file").And.Contain("could not be written");
        failedTag.Status.Should().Be(HttpStatusCode.InternalServerError);
        dsql.Server.GetClusters().Should().ContainSingle().Which.Tags.Should().Equal(new Dictionary<string, string> { ["k"] = "v" });

        Directory.Delete(DataFile);
        var retried = await dsql.CreateAsync("""{"clientToken":"second"}""");

        retried.Status.Should().Be(HttpStatusCode.OK, retried.ToString());
        dsql.Server.GetClusters().Should().HaveCount(2);
        new DsqlLocal.Persistence.StateFile(DataFile).Load()!.Clusters.Should().HaveCount(2);
    }

    [Fact]
    public async Task Update_SaveFails_ClientTokenIsNotRemembered()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        var id = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;
        File.Delete(DataFile);
        Directory.CreateDirectory(DataFile);

        var failed = await dsql.UpdateAsync(id, """{"clientToken":"u1","deletionProtectionEnabled":false}""");
        Directory.Delete(DataFile);
        var differentRequestSameToken = await dsql.UpdateAsync(id, """{"clientToken":"u1","deletionProtectionEnabled":true}""");

        failed.Status.Should().Be(HttpStatusCode.InternalServerError);
        differentRequestSameToken.Status.Should().Be(HttpStatusCode.OK, differentRequestSameToken.ToString());
        dsql.Server.GetClusters().Single().DeletionProtectionEnabled.Should().BeTrue();
    }

    [Fact]
    public async Task Start_DataFileIsADirectory_FailsNamingDataFileOption()
    {
        Directory.CreateDirectory(DataFile);

        var start = () => DsqlFixture.StartAsync(o => o.DataFile = DataFile);

        (await start.Should().ThrowAsync<DsqlLocalStartupException>())
            .Which.Message.Should().Contain("--data-file").And.Contain(DataFile);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Cli_UnwritableDataFile_ExitsWithTwoNamingDataFile(bool directory)
    {
        var path = directory ? _directory : "/proc/nope/x.json";
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await DsqlLocal.Cli.CommandLine.RunAsync(["--port", "0", "--data-file", path], output, error);

        exit.Should().Be(2);
        error.ToString().TrimEnd().Should().Contain("--data-file").And.Contain(path).And.NotContain("\n");
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task Restart_SeededWithDataFile_NeverReissuesIdentifierOfDeletedCluster()
    {
        var time = new FakeTimeProvider(DsqlFixture.Epoch);
        string oldId;
        string oldAnswer;
        await using (var dsql = await DsqlFixture.StartAsync(o => { o.DataFile = DataFile; o.Seed = 11; }, time))
        {
            var created = await dsql.CreateAsync("""{"clientToken":"original","deletionProtectionEnabled":false}""");
            created.Status.Should().Be(HttpStatusCode.OK, created.ToString());
            oldAnswer = created.Body;
            oldId = created.String("identifier");
            (await dsql.DeleteAsync(oldId)).Status.Should().Be(HttpStatusCode.OK);
            dsql.Advance(TimeSpan.FromSeconds(31));
            (await dsql.GetAsync(oldId)).Status.Should().Be(HttpStatusCode.NotFound);
        }

        await using var restarted = await DsqlFixture.StartAsync(o => { o.DataFile = DataFile; o.Seed = 11; }, time);
        var newId = (await restarted.CreateOkAsync()).GetProperty("identifier").GetString()!;
        var replay = await restarted.CreateAsync("""{"clientToken":"original","deletionProtectionEnabled":false}""");

        newId.Should().NotBe(oldId);
        replay.Body.Should().Be(oldAnswer);
        replay.String("identifier").Should().Be(oldId).And.NotBe(newId);
        (await restarted.GetAsync(oldId)).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Reset_Seeded_DoesNotReissueEarlierIdentifiers()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.DataFile = DataFile);
        var before = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        dsql.Server.Reset();
        var after = (await dsql.CreateOkAsync()).GetProperty("identifier").GetString()!;

        after.Should().NotBe(before);
    }

    [Fact]
    public void DirectorySync_ExistingDirectoryOnPosix_FlushesIt()
    {
        var flushed = DsqlLocal.Persistence.DirectorySync.Flush(_directory);

        flushed.Should().Be(!OperatingSystem.IsWindows());
    }

    [Fact]
    public void DirectorySync_MissingDirectory_ThrowsIOException()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var flush = () => DsqlLocal.Persistence.DirectorySync.Flush(Path.Combine(_directory, "missing"));

        flush.Should().Throw<IOException>().WithMessage("*missing*");
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
