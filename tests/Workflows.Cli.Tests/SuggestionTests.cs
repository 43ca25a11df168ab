using FluentAssertions;
using Workflows.Cli.Tests.Support;
using Xunit;

namespace Workflows.Cli.Tests;

/// <summary>A mistyped command or option is answered with the nearest name, and a wild guess with none.</summary>
public sealed class SuggestionTests
{
    [Theory]
    [InlineData(new[] { "provison" }, "Did you mean the command 'provision'?")]
    [InlineData(new[] { "teardwn" }, "Did you mean the command 'teardown'?")]
    [InlineData(new[] { "provision", "--primary-regin", "us-east-1" }, "Did you mean the option '--primary-region'?")]
    [InlineData(new[] { "teardown", "--from-last-rn" }, "Did you mean the option '--from-last-run'?")]
    public async Task Parse_Typo_SuggestsNearestNameAndExitsBadUsage(string[] args, string expected)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync(args);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(expected);
    }

    [Fact]
    public async Task Parse_UnrelatedWord_SuggestsNothing()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("zebra");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().NotContain("Did you mean");
    }

    [Theory]
    [InlineData("provison", "provision")]
    [InlineData("lst", null)]
    [InlineData("teardown", "teardown")]
    public void Nearest_Candidates_PicksWithinTypoDistance(string token, string? expected)
    {
        Suggestions.Nearest(token, ["provision", "teardown", "update"]).Should().Be(expected);
    }
}
