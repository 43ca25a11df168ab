using System.Net;
using System.Text;
using DsqlLocal.Cli;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests;

public sealed class AccessDeniedFaultTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dsql-local-access-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task UpdateCluster_AccessDeniedRateOne_Returns403InTheModelsShapeAndChangesNothing()
    {
        await using var dsql = await DsqlFixture.StartAsync();
        var cluster = await dsql.CreateOkAsync();
        var id = cluster.GetProperty("identifier").GetString()!;
        dsql.Server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "UpdateCluster", Region = "us-east-1", AccessDeniedRate = 1 }] };

        var denied = await dsql.UpdateAsync(id, """{"deletionProtectionEnabled":false}""");

        denied.Status.Should().Be(HttpStatusCode.Forbidden);
        denied.ErrorType.Should().Be("AccessDeniedException");
        denied.Json.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo("__type", "message");
        denied.String("__type").Should().Be("AccessDeniedException");
        denied.String("message").Should().Contain("dsql:UpdateCluster").And.Contain(DsqlLocalDefaults.AccessKeyId).And.Contain("us-east-1");
        denied.Header("Retry-After").Should().BeNull();
        dsql.Server.GetClusters().Single().DeletionProtectionEnabled.Should().BeTrue();

        // Only the named action is refused: the same key may still read the cluster.
        (await dsql.GetAsync(id)).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccessDeniedRule_ScopedToRegion_LeavesOtherRegionsAlone()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { Region = "us-east-2", AccessDeniedRate = 1 }],
        });

        (await dsql.ListAsync("us-east-2")).ErrorType.Should().Be("AccessDeniedException");
        (await dsql.ListAsync("us-east-1")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AccessDeniedAndThrottleInOneRule_AccessDecidedFirst()
    {
        await using var dsql = await DsqlFixture.StartAsync(o => o.Faults = new FaultSettings
        {
            Rules = [new FaultRule { Operation = "CreateCluster", ThrottleRate = 1, AccessDeniedRate = 1 }],
        });

        var response = await dsql.CreateAsync();

        response.ErrorType.Should().Be("AccessDeniedException");
        dsql.Server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task SeededAccessDeniedRate_SameSeed_GivesSameSequenceOfBothOutcomes()
    {
        var first = await OutcomesAsync(seed: 77);
        var second = await OutcomesAsync(seed: 77);

        second.Should().Equal(first);
        first.Should().Contain(HttpStatusCode.Forbidden).And.Contain(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AdminFaults_PutAccessDeniedRate_AppliesAndIsShownByGet()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var put = await dsql.Client.PutAsync(
            new Uri("/_dsql-local/faults", UriKind.Relative),
            new StringContent("""{"rules":[{"operation":"ListClusters","accessDeniedRate":1}]}""", Encoding.UTF8, "application/json"));

        put.StatusCode.Should().Be(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await dsql.ListAsync()).Status.Should().Be(HttpStatusCode.Forbidden);
        (await dsql.Client.GetStringAsync(new Uri("/_dsql-local/faults", UriKind.Relative))).Should().Contain("\"accessDeniedRate\": 1");
    }

    [Theory]
    [InlineData("""{"rules":[{"accessDeniedRate":1.5}]}""", "accessDeniedRate")]
    [InlineData("""{"rules":[{"accessDeniedRate":-1}]}""", "accessDeniedRate")]
    [InlineData("""{"rules":[{"accessDeniedRate":"always"}]}""", "accessDeniedRate")]
    public async Task AdminFaults_BadAccessDeniedRate_Returns400NamingItAndKeepsOld(string settings, string field)
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var put = await dsql.Client.PutAsync(new Uri("/_dsql-local/faults", UriKind.Relative), new StringContent(settings, Encoding.UTF8, "application/json"));

        put.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await put.Content.ReadAsStringAsync()).Should().Contain(field);
        dsql.Server.Faults.Should().Be(FaultSettings.None);
        (await dsql.ListAsync()).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ServerFaults_AccessDeniedRateOutOfRangeInCode_ThrowsNamingRuleAndField()
    {
        await using var dsql = await DsqlFixture.StartAsync();

        var assign = () => dsql.Server.Faults = new FaultSettings { Rules = [new FaultRule(), new FaultRule { AccessDeniedRate = 2 }] };

        assign.Should().Throw<ArgumentException>().WithMessage("*rules[1].accessDeniedRate*between 0 and 1*");
        dsql.Server.Faults.Should().Be(FaultSettings.None);
    }

    [Fact]
    public void Parse_FaultWithAccessDenied_FillsTheRule()
    {
        var options = CommandLine.Parse(["--fault", "op=UpdateCluster,region=us-east-1,access-denied=1"])!;

        options.Faults.Rules.Should().ContainSingle().Which.Should().Be(new FaultRule { Operation = "UpdateCluster", Region = "us-east-1", AccessDeniedRate = 1 });
    }

    [Theory]
    [InlineData("access-denied=1.5", "'access-denied' must be between 0 and 1")]
    [InlineData("access-denied=yes", "'access-denied' must be a number")]
    public void Parse_FaultWithBadAccessDenied_ThrowsNamingOptionAndKey(string spec, string message)
    {
        var parse = () => CommandLine.Parse(["--fault", spec]);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain("--fault").And.Contain(message);
    }

    [Fact]
    public void Parse_ConfigWithAccessDeniedRate_FillsTheRule()
    {
        var path = Path.Combine(_directory, "faults.json");
        File.WriteAllText(path, """{"faults":{"rules":[{"operation":"GetCluster","region":"eu-west-1","accessDeniedRate":0.25}]}}""");

        var options = CommandLine.Parse(["--config", path])!;

        options.Faults.Rules.Should().ContainSingle().Which.Should().Be(new FaultRule { Operation = "GetCluster", Region = "eu-west-1", AccessDeniedRate = 0.25 });
    }

    [Fact]
    public void Parse_ConfigWithAccessDeniedRateOutOfRange_ThrowsNamingConfigAndField()
    {
        var path = Path.Combine(_directory, "faults.json");
        File.WriteAllText(path, """{"faults":{"rules":[{"accessDeniedRate":3}]}}""");

        var parse = () => CommandLine.Parse(["--config", path]);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain("--config").And.Contain("accessDeniedRate");
    }

    private static async Task<List<HttpStatusCode>> OutcomesAsync(int seed)
    {
        await using var dsql = await DsqlFixture.StartAsync(o =>
        {
            o.Seed = seed;
            o.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "ListClusters", AccessDeniedRate = 0.5 }] };
        });

        var outcomes = new List<HttpStatusCode>();
        for (var i = 0; i < 16; i++)
        {
            outcomes.Add((await dsql.ListAsync()).Status);
        }

        return outcomes;
    }
}
