using System.Text.Json.Nodes;
using Workflows.Cli.Chaos;

namespace Workflows.EndToEnd.Tests;

/// <summary>
/// workflows chaos: a seeded campaign of provisions and teardowns under faults, duplicates and kills finds no
/// leaked, duplicate or stuck clusters and no wrong terminal state; its classifier sees planted defects; and the
/// same seed gives the same report.
/// </summary>
public sealed class ChaosTests
{
    // Kinds left out of the campaign: none. (The campaign once found that a protected cluster whose creation FAILED
    // could be neither updated nor deleted in DSQL Local; a protection-only update is now allowed on FAILED.)
    private static readonly HashSet<string> KnownFinding = new(StringComparer.Ordinal);

    [Fact]
    public async Task Campaign_TwoHundredRuns_NoLeakedDuplicateStuckOrWrongTerminal()
    {
        using var work = new CliRun();

        var report = await ChaosCampaign.RunAsync(Settings(work, seed: 1, runs: 200), null, CancellationToken.None);

        var failures = string.Join("\n", report.Failures.Select(f => $"run {f.Run} ({report.Reproduce(f)}): {f.Scenario}\n  {string.Join("\n  ", f.Problems)}"));
        report.Runs.Should().HaveCount(200);
        report.Leaked.Should().Be(0, failures);
        report.Duplicate.Should().Be(0, failures);
        report.Stuck.Should().Be(0, failures);
        report.WrongTerminal.Should().Be(0, failures);
        // Not vacuous: every kind of trouble was drawn, more than once.
        report.FaultKinds.Should().OnlyContain(k => k.Value >= 5, "each fault kind should occur in a 200-run campaign");
        report.CommandsRun.Should().BeGreaterThan(400, "each run provisions and tears down, many more than once");
    }

    [Fact]
    public async Task Campaign_SameSeedTwice_SameReport()
    {
        using var first = new CliRun();
        using var second = new CliRun();

        var a = await ChaosCampaign.RunAsync(Settings(first, seed: 42, runs: 24), null, CancellationToken.None);
        var b = await ChaosCampaign.RunAsync(Settings(second, seed: 42, runs: 24), null, CancellationToken.None);

        b.ToJson(withWall: false).ToJsonString().Should().Be(a.ToJson(withWall: false).ToJsonString());
        a.ToJson().ContainsKey("wallSeconds").Should().BeTrue();
    }

    [Fact]
    public void Draw_SameSeedAndRun_SameScenario_OtherRunDiffers()
    {
        var scenarios = Enumerable.Range(0, 20).Select(r => ChaosScenario.Draw(9, r, 0.05).Describe()).ToList();

        Enumerable.Range(0, 20).Select(r => ChaosScenario.Draw(9, r, 0.05).Describe()).Should().Equal(scenarios);
        scenarios.Distinct().Should().HaveCount(20);
    }

    [Fact]
    public void Draw_Without_DropsTheKindAndKeepsTheOtherDraws()
    {
        var all = Enumerable.Range(0, 100).Select(r => ChaosScenario.Draw(3, r, 0.05)).ToList();
        var without = Enumerable.Range(0, 100).Select(r => ChaosScenario.Draw(3, r, 0.05, new HashSet<string> { ChaosScenario.OutageKind })).ToList();

        all.Should().Contain(s => s.Kinds.Contains(ChaosScenario.OutageKind));
        without.Should().OnlyContain(s => !s.Kinds.Contains(ChaosScenario.OutageKind) && !s.Transient.Any(t => t.EndsWith("internal=1", StringComparison.Ordinal)));
        without.Select(s => s.Persistent.Count).Should().Equal(all.Select(s => s.Persistent.Count));
    }

    [Fact]
    public async Task Classify_PairLeftInStateDirectory_CountsBothClustersLeaked()
    {
        using var cli = new CliRun();
        var state = Path.Combine(cli.WorkingDirectory, "state");
        (await cli.RunAsync("provision", "--provisioning-seconds", "0", "--state-dir", state)).ExitCode.Should().Be(0);

        var left = await ChaosCampaign.ClustersAsync(state, TimeSpan.FromHours(1));
        var result = ChaosClassifier.Classify(0, "planted", [], [left], left, finished: true);

        result.Leaked.Should().Be(2);
        result.Passed.Should().BeFalse();
        result.Problems.Should().Contain(p => p.StartsWith("leaked: us-east-1 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Classify_PairRetired_CountsNothingLeaked()
    {
        using var cli = new CliRun();
        var state = Path.Combine(cli.WorkingDirectory, "state");
        (await cli.RunAsync("provision", "--provisioning-seconds", "0", "--state-dir", state)).ExitCode.Should().Be(0);
        (await cli.RunAsync("teardown", "--from-last-run", "--force", "--state-dir", state)).ExitCode.Should().Be(0);

        var left = await ChaosCampaign.ClustersAsync(state, TimeSpan.FromHours(1));

        ChaosClassifier.Classify(0, "clean", [], [left], left, finished: true).Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Classify_TwoPairsFromOneRequest_CountsDuplicate()
    {
        using var cli = new CliRun();
        var state = Path.Combine(cli.WorkingDirectory, "state");
        (await cli.RunAsync("provision", "--provisioning-seconds", "0", "--state-dir", state)).ExitCode.Should().Be(0);
        var one = await ChaosCampaign.ClustersAsync(state);
        (await cli.RunAsync("provision", "--provisioning-seconds", "0", "--state-dir", state)).ExitCode.Should().Be(0);
        var two = await ChaosCampaign.ClustersAsync(state);

        var result = ChaosClassifier.Classify(0, "planted", [], [one, two], [], finished: true);

        result.Duplicate.Should().Be(1);
        result.Leaked.Should().Be(0);
    }

    [Theory]
    [InlineData(0, "FAILED", false, true)]
    [InlineData(0, null, false, true)]
    [InlineData(1, "SUCCEEDED", false, true)]
    [InlineData(3, null, false, true)]
    [InlineData(130, "ABORTED", false, true)]
    [InlineData(130, "SUCCEEDED", true, true)]
    [InlineData(0, "SUCCEEDED", false, false)]
    [InlineData(1, "FAILED", false, false)]
    [InlineData(130, "ABORTED", true, false)]
    [InlineData(2, null, false, false)]
    public void WrongTerminal_ExitCodeAgainstOutcome_FlagsOnlyMismatches(int exit, string? status, bool interrupted, bool wrong)
    {
        var command = new ChaosCommand(["provision"], exit, string.Empty, "internal error: boom", interrupted, false, false, status, TimeSpan.FromMinutes(10));

        (ChaosClassifier.WrongTerminal(command) is not null).Should().Be(wrong);
    }

    [Fact]
    public void Classify_CommandPastWallLimitOrVirtualBound_CountsStuck()
    {
        ChaosCommand[] commands =
        [
            new(["provision"], -1, string.Empty, string.Empty, false, false, TimedOut: true, null, null),
            new(["teardown"], 0, string.Empty, string.Empty, false, false, false, "SUCCEEDED", TimeSpan.FromDays(2)),
        ];

        var result = ChaosClassifier.Classify(0, "planted", commands, [], [], finished: false);

        result.Stuck.Should().Be(3, "two commands ran away and the run never finished its teardown");
    }

    [Fact]
    public async Task Chaos_ProtectedCreateFailure_FailedPairRetiredNothingLeaked()
    {
        // The campaign's finding (seed 1, run 30): a create failure with deletion protection on. The clean-up turns
        // protection off on the FAILED primary (a protection-only update FAILED allows) and deletes the pair.
        using var work = new CliRun();
        var settings = Settings(work, seed: 1, runs: 31) with { Only = 30, Without = new HashSet<string>(StringComparer.Ordinal) };

        var report = await ChaosCampaign.RunAsync(settings, null, CancellationToken.None);

        report.Runs.Single().Scenario.Should().Contain("protection=True").And.Contain("create-failure");
        report.Leaked.Should().Be(0, string.Join("\n", report.Runs.Single().Problems));
        report.WrongTerminal.Should().Be(0, string.Join("\n", report.Runs.Single().Problems));
    }

    [Fact]
    public async Task ChaosCommand_SmallCampaign_PrintsJsonAndExitsZero()
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("chaos", "--runs", "4", "--seed", "11", "--crash-rate", "0", "--without", "protected-create-failure", "--work-dir", "w", "--json");

        result.ExitCode.Should().Be(0, result.ToString());
        var report = JsonNode.Parse(result.Out)!;
        report["runs"]!.GetValue<int>().Should().Be(4);
        report["passed"]!.GetValue<bool>().Should().BeTrue();
        report["leaked"]!.GetValue<int>().Should().Be(0);
        report["without"]![0]!.GetValue<string>().Should().Be("protected-create-failure");
    }

    [Theory]
    [InlineData("--runs", "0", "--runs 0 must be from 1 to 100000")]
    [InlineData("--crash-rate", "1.5", "--crash-rate 1.5 must be from 0 to 1")]
    [InlineData("--without", "gremlins", "--without 'gremlins' is not a kind")]
    public async Task ChaosCommand_BadOption_ExitsTwoNamingIt(string option, string value, string message)
    {
        using var cli = new CliRun();

        var result = await cli.RunAsync("chaos", option, value);

        result.ExitCode.Should().Be(2, result.ToString());
        result.Error.Should().Contain(message);
    }

    private static ChaosSettings Settings(CliRun work, int seed, int runs) => new()
    {
        Seed = seed,
        Runs = runs,
        Parallel = 2,
        WorkDirectory = Path.Combine(work.WorkingDirectory, "chaos"),
        Without = KnownFinding,
    };
}
