using DsqlLocal.Cli;

namespace DsqlLocal.Tests;

public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dsql-local-cli-").FullName;

    [Fact]
    public void Parse_EveryOption_FillsOptions()
    {
        var options = CommandLine.Parse(
        [
            "--host", "0.0.0.0", "--port", "0", "--account-id", "111122223333",
            "--provisioning-seconds", "120", "--deletion-seconds", "10", "--time-scale", "60",
            "--data-file", "state.json", "--seed", "5",
            "--fault", "op=CreateCluster,region=us-east-1,throttle=0.5,retry-after=2,internal=0.25,latency=100",
            "--outage", "region=us-east-2,start=0,end=60",
            "--access-key-id", "AKIAOTHER", "--secret-access-key", "other-secret",
            "--multi-region-quota", "2", "--single-region-quota=3", "--verbose",
        ])!;

        options.Host.Should().Be("0.0.0.0");
        options.Port.Should().Be(0);
        options.AccountId.Should().Be("111122223333");
        options.ProvisioningTime.Should().Be(TimeSpan.FromSeconds(120));
        options.DeletionTime.Should().Be(TimeSpan.FromSeconds(10));
        options.TimeScale.Should().Be(60);
        options.DataFile.Should().Be("state.json");
        options.Seed.Should().Be(5);
        options.Faults.Rules.Should().ContainSingle().Which.Should().Be(new FaultRule
        {
            Operation = "CreateCluster",
            Region = "us-east-1",
            ThrottleRate = 0.5,
            RetryAfterSeconds = 2,
            InternalErrorRate = 0.25,
            LatencyMs = 100,
        });
        options.Faults.Outages.Should().ContainSingle().Which.Should().Be(new OutageWindow
        {
            Region = "us-east-2",
            Start = FaultTime.FromSecondsAfterStart(0),
            End = FaultTime.FromSecondsAfterStart(60),
        });
        options.AccessKeys.Should().Contain(new AccessKeyPair("AKIAOTHER", "other-secret"))
            .And.Contain(new AccessKeyPair(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey));
        options.MultiRegionQuota.Should().Be(2);
        options.SingleRegionQuota.Should().Be(3);
        options.Verbose.Should().BeTrue();
    }

    [Fact]
    public void Parse_ConfigFileThenOverride_AppliesBothWithCommandLineWinning()
    {
        var path = Path.Combine(_directory, "dsql-local.json");
        File.WriteAllText(path, """
            {
              "port": 9000, "accountId": "210987654321", "provisioningSeconds": 300, "deletionSeconds": 5, "timeScale": 2,
              "dataFile": "data.json", "seed": 9, "multiRegionQuota": 1, "singleRegionQuota": 4,
              "accessKeys": [{"accessKeyId": "AKIACONFIG", "secretAccessKey": "config-secret"}],
              "faults": {
                "rules": [{"operation": "*", "region": "eu-west-1", "throttleRate": 0.1, "retryAfterSeconds": 4}],
                "outages": [{"region": "us-east-2", "start": "2026-01-01T00:00:00Z", "end": 30}]
              }
            }
            """);

        var options = CommandLine.Parse(["--port", "9001", "--config", path])!;

        options.Port.Should().Be(9001);
        options.AccountId.Should().Be("210987654321");
        options.ProvisioningTime.Should().Be(TimeSpan.FromSeconds(300));
        options.TimeScale.Should().Be(2);
        options.Seed.Should().Be(9);
        options.AccessKeys.Should().Contain(new AccessKeyPair("AKIACONFIG", "config-secret"));
        options.Faults.Rules.Single().RetryAfterSeconds.Should().Be(4);
        options.Faults.Outages.Single().Start!.Value.At.Should().Be(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Parse_LifecycleAndRegionOptions_FillsOptions()
    {
        var options = CommandLine.Parse(
        [
            "--updating-seconds", "5", "--idle-after-seconds", "600", "--inactive-after-seconds", "3600", "--reactivation-seconds", "45",
            "--regions", "us-east-1,us-east-2,us-west-2", "--witness-regions", "us-west-2", "--unknown-region", "serve",
            "--fault", "op=CreateCluster,create-failure=1",
        ])!;
        options.Validate();

        options.UpdatingTime.Should().Be(TimeSpan.FromSeconds(5));
        options.IdleAfter.Should().Be(TimeSpan.FromSeconds(600));
        options.InactiveAfter.Should().Be(TimeSpan.FromHours(1));
        options.ReactivationTime.Should().Be(TimeSpan.FromSeconds(45));
        options.Regions.Should().Equal("us-east-1", "us-east-2", "us-west-2");
        options.WitnessRegions.Should().Equal("us-west-2");
        options.UnknownRegion.Should().Be(UnknownRegionBehavior.Serve);
        options.Faults.Rules.Single().CreateFailureRate.Should().Be(1);
    }

    [Fact]
    public void Parse_ConfigWithStatesAndCatalog_FillsOptionsAndKeepsOtherStatusRules()
    {
        var path = Path.Combine(_directory, "states.json");
        File.WriteAllText(path, """
            {
              "updatingSeconds": 3, "idleAfterSeconds": 60, "inactiveAfterSeconds": 120, "reactivationSeconds": 9,
              "regions": ["eu-west-1", "eu-west-3"], "witnessRegions": ["eu-central-1"], "unknownRegion": "unreachable",
              "bodyReadTimeoutSeconds": 7, "statusRules": { "UPDATING": ["UpdateCluster", "DeleteCluster"] }
            }
            """);

        var options = CommandLine.Parse(["--config", path])!;
        options.Validate();

        options.UpdatingTime.Should().Be(TimeSpan.FromSeconds(3));
        options.IdleAfter.Should().Be(TimeSpan.FromMinutes(1));
        options.InactiveAfter.Should().Be(TimeSpan.FromMinutes(2));
        options.Regions.Should().Equal("eu-west-1", "eu-west-3");
        options.WitnessRegions.Should().Equal("eu-central-1");
        options.BodyReadTimeout.Should().Be(TimeSpan.FromSeconds(7));
        options.RefusedOperations["UPDATING"].Should().Equal("UpdateCluster", "DeleteCluster");
        options.RefusedOperations["DELETING"].Should().Contain("DeleteCluster", "the defaults of the other statuses stay");
    }

    [Theory]
    [InlineData("""{"statusRules":{"SLEEPING":["UpdateCluster"]}}""", "SLEEPING")]
    [InlineData("""{"statusRules":{"IDLE":["Explode"]}}""", "Explode")]
    [InlineData("""{"regions":["us-east-1\n"]}""", "Regions")]
    [InlineData("""{"idleAfterSeconds":600,"inactiveAfterSeconds":60}""", "InactiveAfter")]
    public void Validate_BadStatesOrCatalogConfig_ThrowsNamingIt(string config, string named)
    {
        var path = Path.Combine(_directory, "bad-states.json");
        File.WriteAllText(path, config);
        var options = CommandLine.Parse(["--config", path])!;

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage($"*{named}*");
    }

    [Theory]
    [InlineData(new[] { "--bogus", "1" }, "--bogus")]
    [InlineData(new[] { "--port", "http" }, "--port")]
    [InlineData(new[] { "--port", "70000" }, "--port")]
    [InlineData(new[] { "--time-scale", "0" }, "--time-scale")]
    [InlineData(new[] { "--fault", "throttle=1.5" }, "--fault")]
    [InlineData(new[] { "--outage", "region=x,start=yesterday" }, "--outage")]
    [InlineData(new[] { "--access-key-id", "AKIA" }, "--secret-access-key")]
    [InlineData(new[] { "--account-id", "12" }, "AccountId")]
    [InlineData(new[] { "--seed" }, "--seed")]
    [InlineData(new[] { "--config", "/nonexistent/dsql.json" }, "--config")]
    public async Task RunAsync_BadOption_ExitsWithTwoNamingTheOption(string[] args, string named)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CommandLine.RunAsync(args, output, error);

        exit.Should().Be(2);
        error.ToString().Should().Contain(named);
        output.ToString().Should().BeEmpty();
    }

    [Fact]
    public async Task RunAsync_ConfigWithUnknownSetting_ExitsWithTwo()
    {
        var path = Path.Combine(_directory, "bad.json");
        await File.WriteAllTextAsync(path, """{"prot": 1}""");
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CommandLine.RunAsync(["--config", path], output, error);

        exit.Should().Be(2);
        error.ToString().Should().Contain("'prot'");
    }

    // Parse rather than RunAsync: before validation existed these started a server and never returned.
    [Theory]
    [InlineData(new[] { "--fault", "op=CreateClusters,throttle=1" }, "option '--fault': operation: 'CreateClusters'")]
    [InlineData(new[] { "--fault", "op=CreateCluster,region=US-EAST-1,throttle=1" }, "option '--fault': region: 'US-EAST-1'")]
    [InlineData(new[] { "--outage", "region=us-east-2,start=60,end=10" }, "option '--outage': end:")]
    [InlineData(new[] { "--outage", "region=us-east-2,start=1e300" }, "option '--outage'")]
    [InlineData(new[] { "--outage", "region=eu_west_1" }, "option '--outage': region:")]
    public void Parse_FaultThatCanNeverApply_ThrowsNamingOptionAndField(string[] args, string message)
    {
        var parse = () => CommandLine.Parse(args);

        parse.Should().Throw<FormatException>().Which.Message.Should().Contain(message);
    }

    [Fact]
    public void Parse_ConfigWithFaultThatCanNeverMatch_ThrowsNamingRule()
    {
        var path = Path.Combine(_directory, "faults.json");
        File.WriteAllText(path, """{"faults":{"rules":[{"operation":"*"},{"operation":"GetClusters","throttleRate":1}]}}""");

        var parse = () => CommandLine.Parse(["--config", path]);

        parse.Should().Throw<FormatException>().Which.Message.Should()
            .Contain("--config").And.Contain("rules[1].operation").And.Contain("GetClusters");
    }

    [Fact]
    public async Task RunAsync_Help_PrintsUsageAndExitsZero()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await CommandLine.RunAsync(["--help"], output, error);

        exit.Should().Be(0);
        output.ToString().Should().Contain("--provisioning-seconds").And.Contain("--outage");
    }

    [Fact]
    public async Task RunAsync_Help_SaysTimeScaleLeavesFaultTimesAlone()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        await CommandLine.RunAsync(["--help"], output, error);

        var help = output.ToString();
        help[help.IndexOf("--time-scale", StringComparison.Ordinal)..help.IndexOf("--data-file", StringComparison.Ordinal)]
            .Should().Contain("outage").And.Contain("latency").And.Contain("Retry-After").And.Contain("not scaled");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
