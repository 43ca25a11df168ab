using FluentAssertions;
using Workflows.Cli.Runs;
using Workflows.Cli.Tests.Support;
using Xunit;

namespace Workflows.Cli.Tests;

/// <summary>
/// Strict input: in a request given with --input, a member its contract does not name is refused at every level,
/// naming its path; any input nested deeper than the depth limit is refused naming the limit; Regions follow the
/// Region catalog's rule, whitespace included. Nothing is started or created in any of these cases.
/// </summary>
public sealed class StrictInputTests
{
    private const string Pair = "\"primary\":{\"region\":\"us-east-1\",\"identifier\":\"abcdefghijklmnopqrstuvwxyz\"},\"peer\":{\"region\":\"us-east-2\",\"identifier\":\"zyxwvutsrqponmlkjihgfedcba\"}";
    private const string Regions = "\"primaryRegion\":\"us-east-1\",\"peerRegion\":\"us-east-2\",\"witnessRegion\":\"us-west-2\"";

    [Theory]
    [InlineData("provision", "{" + Regions + ",\"keepOnFaliure\":true}", "keepOnFaliure", "a provision request")]
    [InlineData("provision", "{" + Regions + ",\"polling\":{\"initialDelaySecond\":5}}", "polling.initialDelaySecond", "a provision request's polling")]
    [InlineData("teardown", "{" + Pair + ",\"froce\":true}", "froce", "a teardown request")]
    [InlineData("teardown", "{\"primary\":{\"region\":\"us-east-1\",\"identifer\":\"abcdefghijklmnopqrstuvwxyz\"},\"peer\":{\"region\":\"us-east-2\",\"identifier\":\"zyxwvutsrqponmlkjihgfedcba\"}}", "primary.identifer", "a teardown request's primary")]
    [InlineData("teardown", "{" + Pair + ",\"polling\":{\"maxAttempts\":3,\"deadline\":60}}", "polling.deadline", "a teardown request's polling")]
    [InlineData("update", "{\"primary\":{\"region\":\"us-east-1\",\"identifier\":\"abcdefghijklmnopqrstuvwxyz\"},\"peer\":{\"region\":\"us-east-2\",\"identifier\":\"zyxwvutsrqponmlkjihgfedcba\",\"regoin\":\"x\"},\"deletionProtection\":false}", "peer.regoin", "an update request's peer")]
    [InlineData("update", "{" + Pair + ",\"untag\":[\"a\"]}", "untag", "an update request")]
    public async Task Input_UnknownMemberAtAnyLevel_Exit2NamingItsPathAndTheRule(string command, string input, string path, string where)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync(command, "--input", input);

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain($"--input: {path} is not a member of {where}")
            .And.Contain("unknown members are refused at every level");
        Directory.Exists(cli.StateDirectory).Should().BeFalse("nothing was started");
    }

    [Fact]
    public async Task TeardownInput_PastedClusterInfoMembers_AcceptedAsKnown()
    {
        using var cli = new CliRun();
        const string input = """
            {"primary":{"region":"us-east-1","identifier":"abcdefghijklmnopqrstuvwxyz","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz","status":"ACTIVE","endpoint":"abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws","witnessRegion":"us-west-2","linkedClusterArns":[],"deletionProtectionEnabled":true,"creationTime":"2026-01-01T00:00:00Z"},
             "peer":{"region":"us-east-2","identifier":"zyxwvutsrqponmlkjihgfedcba"},"force":true}
            """;

        var result = await cli.RunAsync("teardown", "--input", input, "--provisioning-seconds", "0", "--output", "json");

        result.ExitCode.Should().Be(ExitCodes.NothingToRetire, "the request ran (neither cluster exists): " + result);
        result.Error.Should().NotContain("is not a member");
    }

    [Fact]
    public async Task ProvisionInput_TagKeysAreFree_NotCheckedAsMembers()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--input", "{" + Regions + ",\"tags\":{\"anything-goes\":\"v\"}}", "--provisioning-seconds", "0", "--output", "json");

        result.ExitCode.Should().Be(ExitCodes.Success, result.ToString());
    }

    [Theory]
    [InlineData("run")]
    [InlineData("provision")]
    public async Task Input_NestedDeeperThanTheLimit_Exit2NamingTheLimit(string command)
    {
        using var cli = new CliRun();
        var path = Path.Combine(cli.WorkingDirectory, "deep.json");
        await File.WriteAllTextAsync(path, Nested(StrictInput.MaxDepth + 1));
        string[] args = command == "run" ? ["run", CliRun.Fixture("fail.asl.json"), "--input", "@deep.json"] : ["provision", "--input", "@deep.json"];

        var result = await cli.RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain("--input file 'deep.json' nests objects and arrays more than 64 levels deep (line 1); the input depth limit is 64");
    }

    [Fact]
    public async Task RunInput_NestedExactlyToTheLimit_Accepted()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("run", CliRun.Fixture("fail.asl.json"), "--input", Nested(StrictInput.MaxDepth), "--output", "json");

        result.Error.Should().NotContain("depth limit");
        result.ExitCode.Should().Be(ExitCodes.Failed, "the input was taken and the Fail state ran: " + result);
    }

    [Theory]
    [InlineData(new[] { "provision", "--primary-region", "us-east-1\n" }, "invalid provision request: primaryRegion: 'us-east-1\\n' has trailing whitespace; a Region name has none (the Region catalog's rule: lowercase letters, digits and hyphens, e.g. us-east-1) (set by --primary-region)")]
    [InlineData(new[] { "provision", "--peer-region", "us-east-2 " }, "peerRegion: 'us-east-2 ' has trailing whitespace")]
    [InlineData(new[] { "provision", "--witness-region", "\tus-west-2" }, "witnessRegion: '\\tus-west-2' has leading whitespace")]
    [InlineData(new[] { "describe", "--region", "us-east-1\r\n", "--identifier", "abcdefghijklmnopqrstuvwxyz" }, "--region 'us-east-1\\r\\n' has trailing whitespace")]
    [InlineData(new[] { "list", "--region", "eu-west-1\n" }, "--region 'eu-west-1\\n' has trailing whitespace")]
    [InlineData(new[] { "teardown", "--primary", "us-east-1\n:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-2:zyxwvutsrqponmlkjihgfedcba" }, "--primary region 'us-east-1\\n' has trailing whitespace")]
    [InlineData(new[] { "update", "--primary", "us-east-1:abcdefghijklmnopqrstuvwxyz", "--peer", "us-east-2 :zyxwvutsrqponmlkjihgfedcba", "--deletion-protection", "off" }, "--peer region 'us-east-2 ' has trailing whitespace")]
    [InlineData(new[] { "teardown", "--cluster", "us-east-1\n:abcdefghijklmnopqrstuvwxyz" }, "--cluster region 'us-east-1\\n' has trailing whitespace")]
    [InlineData(new[] { "describe", "--region", "US-EAST-1", "--identifier", "abcdefghijklmnopqrstuvwxyz" }, "--region 'US-EAST-1' is not an AWS Region name (the Region catalog's rule")]
    public async Task RegionFlag_WhitespaceOrNotByTheCatalog_Exit2OneLineNamingOptionAndRule(string[] args, string message)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync(args);

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain(message);
        result.Error.TrimEnd().Split('\n').Should().ContainSingle("the error is one line, the newline in the value escaped");
        Directory.Exists(cli.StateDirectory).Should().BeFalse();
    }

    [Fact]
    public async Task RegionInInput_TrailingNewline_Exit2OneLineNamingTheField()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("provision", "--input", """{"primaryRegion":"us-east-1\n","peerRegion":"us-east-2","witnessRegion":"us-west-2"}""");

        result.ExitCode.Should().Be(ExitCodes.BadUsage, result.ToString());
        result.Error.Should().Contain("primaryRegion: 'us-east-1\\n' is not an AWS Region name");
        result.Error.TrimEnd().Split('\n').Should().ContainSingle();
    }

    private static string Nested(int levels) => new string('[', levels) + new string(']', levels);
}
