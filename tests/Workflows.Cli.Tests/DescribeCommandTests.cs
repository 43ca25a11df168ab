using Amazon.Runtime;
using DsqlLocal;
using Workflows.Cli.Tests.Support;
using Workflows.Core.Dsql;

namespace Workflows.Cli.Tests;

public sealed class DescribeCommandTests : IAsyncLifetime
{
    private DsqlLocalServer _server = null!;
    private HttpMessageHandler _handler = null!;

    // The server keeps system time: the CLI signs with the real clock and DSQL Local checks the signature's age.
    public async Task InitializeAsync()
    {
        _server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Seed = 3 }, TimeProvider.System, inProcess: true);
        _handler = _server.CreateHandler();
    }

    public async Task DisposeAsync()
    {
        _handler.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Describe_MultiRegionCluster_PrintsStatusArnWitnessPeersAndProtection()
    {
        var (primary, peer) = await CreatePairAsync();
        using var cli = Cli();

        var result = await cli.RunAsync(Describe(primary.Identifier));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Out.Should().Contain($"Identifier           {primary.Identifier}")
            .And.Contain($"ARN                  {primary.Arn}")
            .And.Contain("Witness Region       us-west-2")
            .And.Contain($"Peers                {peer.Arn}")
            .And.Contain("Deletion protection  enabled")
            .And.Contain("Created              ");
        result.Out.Should().MatchRegex(@"Status\s+[A-Z_]+");
    }

    [Fact]
    public async Task Describe_TaggedCluster_ShowsItsTagsSortedByKey()
    {
        var (primary, peer) = await CreatePairAsync();
        using var cli = Cli();

        var tagged = await cli.RunAsync(Describe(primary.Identifier));
        var untagged = await cli.RunAsync(["describe", "--region", "us-east-2", "--identifier", peer.Identifier, "--dsql-endpoint", _server.BaseAddress.ToString(), "--local-credentials"]);

        tagged.Out.Should().Contain("Tags                 Name=orders, team=data");
        untagged.Out.Should().Contain("Tags                 (none)");
    }

    [Fact]
    public async Task Describe_Json_PrintsOneObjectWithTheApiMemberNames()
    {
        var (primary, peer) = await CreatePairAsync();
        using var cli = Cli();

        var result = await cli.RunAsync([.. Describe(primary.Identifier), "--json"]);

        result.ExitCode.Should().Be(0, result.ToString());
        var json = result.Json();
        json.GetProperty("identifier").GetString().Should().Be(primary.Identifier);
        json.GetProperty("arn").GetString().Should().Be(primary.Arn);
        json.GetProperty("deletionProtectionEnabled").GetBoolean().Should().BeTrue();
        json.GetProperty("multiRegionProperties").GetProperty("witnessRegion").GetString().Should().Be("us-west-2");
        json.GetProperty("peers").EnumerateArray().Select(p => p.GetString()).Should().Equal(peer.Arn);
        json.TryGetProperty("status", out _).Should().BeTrue();
        json.TryGetProperty("creationTime", out _).Should().BeTrue();
    }

    [Fact]
    public async Task Describe_MissingCluster_PrintsResourceNotFoundAndExits1()
    {
        using var cli = Cli();

        var result = await cli.RunAsync(Describe("aaaaaaaaaaaaaaaaaaaaaaaaaa"));

        result.ExitCode.Should().Be(1, result.ToString());
        result.Error.Should().StartWith("ResourceNotFoundException: ");
        result.Out.Should().BeEmpty();
    }

    [Fact]
    public async Task Describe_BadRegion_Exits2NamingRegion()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("describe", "--region", "moon-1", "--identifier", "x", "--dsql-endpoint", _server.BaseAddress.ToString(), "--local-credentials");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--region 'moon-1'");
    }

    [Fact]
    public async Task Describe_BadEndpoint_Exits2NamingTheOption()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("describe", "--region", "us-east-1", "--identifier", "x", "--dsql-endpoint", "not a url");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--dsql-endpoint");
    }

    [Fact]
    public async Task Describe_MissingRequiredOptions_Exits2()
    {
        using var cli = Cli();

        var result = await cli.RunAsync("describe", "--region", "us-east-1");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--identifier");
    }

    private CliRun Cli() => new() { DsqlHandler = _handler };

    private string[] Describe(string identifier) =>
        ["describe", "--region", "us-east-1", "--identifier", identifier, "--dsql-endpoint", _server.BaseAddress.ToString(), "--local-credentials"];

    private async Task<(CreateClusterResponse Primary, CreateClusterResponse Peer)> CreatePairAsync()
    {
        using var factory = new DsqlClientFactory(
            new DsqlClientOptions { ServiceUrl = _server.BaseAddress, Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey) },
            _handler,
            environment: _ => null);
        var witness = new MultiRegionProperties { WitnessRegion = "us-west-2" };
        var primary = await factory.ForRegion("us-east-1").CreateClusterAsync(new CreateClusterRequest
        {
            MultiRegionProperties = witness,
            DeletionProtectionEnabled = true,
            Tags = new Dictionary<string, string> { ["team"] = "data", ["Name"] = "orders" },
        });
        var peer = await factory.ForRegion("us-east-2").CreateClusterAsync(new CreateClusterRequest
        {
            MultiRegionProperties = witness with { Clusters = [primary.Arn] },
        });
        await factory.ForRegion("us-east-1").UpdateClusterAsync(new UpdateClusterRequest
        {
            Identifier = primary.Identifier,
            MultiRegionProperties = witness with { Clusters = [peer.Arn] },
        });
        return (primary, peer);
    }
}
