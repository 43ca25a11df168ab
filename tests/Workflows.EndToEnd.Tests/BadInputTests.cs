using Workflows.EndToEnd.Tests.Support;

namespace Workflows.EndToEnd.Tests;

/// <summary>Requests the core's validation refuses: exit 2, one line naming the field and the rule, nothing created.</summary>
public sealed class BadInputTests
{
    [Theory]
    [InlineData("peerRegion: must differ from primaryRegion (us-east-1)", "--peer-region", "--peer-region", "us-east-1")]
    [InlineData("witnessRegion", "--witness-region", "--witness-region", "us-east-2")]
    [InlineData("primaryRegion", "--primary-region", "--primary-region", "US-EAST-1")]
    [InlineData("tags", "--tag", "--tag", "aws:owner=me")]
    public async Task Provision_FlagBreaksARule_Exit2NamingFieldAndFlagAndNothingCreated(string field, string flag, params string[] args)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync(["provision", .. args]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().StartWith("error: invalid provision request: ").And.Contain(field).And.Contain($"(set by {flag})");
        result.Out.Should().BeEmpty();
        Directory.Exists(cli.StateDirectory).Should().BeFalse("the request is checked before the emulator or anything else starts");
    }

    [Fact]
    public async Task Provision_InputWithUnknownMember_Exit2NamingTheMember()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--input", """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","colour":"blue"}""");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("colour");
        Directory.Exists(cli.StateDirectory).Should().BeFalse();
    }

    [Fact]
    public async Task Provision_PollingOutOfRange_Exit2NamingThePollingField()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--input", """{"primaryRegion":"us-east-1","peerRegion":"us-east-2","witnessRegion":"us-west-2","polling":{"maxAttempts":0}}""");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("polling.maxAttempts");
    }

    [Theory]
    [InlineData("--tag", "novalue")]
    [InlineData("--fault", "op=CreateCluster,throttle=2")]
    [InlineData("--fault", "colour=blue")]
    [InlineData("--provisioning-seconds", "-1")]
    [InlineData("--dsql-endpoint", "not a url")]
    public async Task Provision_MalformedOption_Exit2NamingTheOption(string option, string value)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", option, value);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(option);
        Directory.Exists(cli.StateDirectory).Should().BeFalse();
    }

    [Fact]
    public async Task Provision_InputAndFlags_Exit2()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--input", "{}", "--peer-region", "eu-west-1");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--input").And.Contain("--peer-region");
    }

    [Fact]
    public async Task Provision_EmulatorOptionWithAnEndpoint_Exit2()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--dsql-endpoint", "http://127.0.0.1:1", "--fault", "op=*,internal=1");

        result.ExitCode.Should().Be(2);
        result.Error.Should().Contain("--fault configures the embedded emulator");
    }

    [Theory]
    [InlineData("say which pair to retire")]
    [InlineData("must be region:identifier", "--primary", "us-east-1", "--peer", "us-east-2:abcdefghijklmnopqrstuvwxyz")]
    [InlineData("peer.region: must differ from primary.region", "--primary", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-1:zyxwvutsrqponmlkjihgfedcba")]
    [InlineData("no provision recorded", "--from-last-run")]
    public async Task Teardown_BadReferences_Exit2(string message, params string[] args)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync(["teardown", .. args]);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(message);
    }

    [Fact]
    public async Task Teardown_FromLastRunOfAnotherTarget_Exit2()
    {
        using var cli = new CliRun();
        (await cli.RunAsync("provision", "--provisioning-seconds", "0", "--json")).ExitCode.Should().Be(0);

        var result = await cli.RunAsync("teardown", "--from-last-run", "--dsql-endpoint", "http://127.0.0.1:1", "--local-credentials");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("the last provision ran against the embedded emulator");
    }

    [Fact]
    public async Task Provision_StateDirIsAFile_Exit2SayingSo()
    {
        using var cli = new CliRun();
        await File.WriteAllTextAsync(Path.Combine(cli.WorkingDirectory, "state"), "x");

        var result = await cli.RunAsync("provision", "--state-dir", "state");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("--state-dir").And.Contain("is a file, not a directory").And.NotContain("in use");
    }

    [Theory]
    [InlineData("dsql-local.json", "{not json", "move it aside")]
    [InlineData("dsql-local.json", "[1]", "move it aside")]
    [InlineData("embedded.json", "{\"virtualNow\":", "delete it")]
    [InlineData("embedded.json", "{\"virtualNow\":\"2026-01-01T00:00:00Z\",\"provisioningSeconds\":1e30}", "delete it")]
    public async Task Provision_CorruptEmbeddedState_Exit2NamingTheFileAndTheWayOut(string file, string content, string advice)
    {
        using var cli = new CliRun();
        Directory.CreateDirectory(cli.StateDirectory);
        await File.WriteAllTextAsync(Path.Combine(cli.StateDirectory, file), content);

        var result = await cli.RunAsync("provision");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(file).And.Contain(advice).And.NotContain("internal error");
    }

    [Fact]
    public async Task Provision_DeletionProtectionNotABoolean_Exit2NamingTheOptionAndValues()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--deletion-protection", "maybe");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain("--deletion-protection 'maybe' must be true or false").And.NotContain("Unrecognized");
    }
}
