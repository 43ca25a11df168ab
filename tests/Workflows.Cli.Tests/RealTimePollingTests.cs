using System.Text.Json.Nodes;
using FluentAssertions;
using Workflows.Cli.Pairs;
using Xunit;

namespace Workflows.Cli.Tests;

/// <summary>How --initial-wait, --poll and a DSQL Local's lifecycle become the request's polling.</summary>
public sealed class RealTimePollingTests
{
    private const string Request = """{"primaryRegion":"us-east-1"}""";

    [Fact]
    public void Apply_Flags_SetInitialDelayAndAFixedInterval()
    {
        var polling = Polling(RealTimePolling.Apply(Request, PairWorkflow.Provision, 5, 2, null));

        polling.Should().BeEquivalentTo(new Dictionary<string, int> { ["initialDelaySeconds"] = 5, ["minDelaySeconds"] = 2, ["maxDelaySeconds"] = 2 });
    }

    [Fact]
    public void Apply_FlagsOverRequestPolling_FlagsWinOtherMembersStay()
    {
        var input = """{"polling":{"initialDelaySeconds":100,"deadlineSeconds":900}}""";

        var polling = Polling(RealTimePolling.Apply(input, PairWorkflow.Provision, 7, null, null));

        polling.Should().BeEquivalentTo(new Dictionary<string, int> { ["initialDelaySeconds"] = 7, ["deadlineSeconds"] = 900 });
    }

    [Theory]
    [InlineData("provision", 121, 30)]
    [InlineData("teardown", 31, 8)]
    [InlineData("update", 11, 3)]
    public void Apply_DsqlLocalLifecycle_FirstCheckWhenItSaysTheClustersAreReady(string verb, int initial, int poll)
    {
        var workflow = verb switch { "provision" => PairWorkflow.Provision, "teardown" => PairWorkflow.Teardown, _ => PairWorkflow.Update };

        var polling = Polling(RealTimePolling.Apply(Request, workflow, null, null, new DsqlLocalLifecycle(120, 30, 10)));

        polling["initialDelaySeconds"].Should().Be(initial);
        polling["minDelaySeconds"].Should().Be(poll);
    }

    [Fact]
    public void Apply_RequestNamesItsOwnPolling_LifecycleLeavesItAlone()
    {
        var input = """{"polling":{"initialDelaySeconds":100}}""";

        RealTimePolling.Apply(input, PairWorkflow.Provision, null, null, new DsqlLocalLifecycle(2, 2, 2)).Should().Be(input);
    }

    [Fact]
    public void Apply_NothingGivenNotDsqlLocal_InputUnchanged() =>
        RealTimePolling.Apply(Request, PairWorkflow.Provision, null, null, null).Should().Be(Request);

    private static Dictionary<string, int> Polling(string json) =>
        ((JsonObject)JsonNode.Parse(json)!["polling"]!).ToDictionary(p => p.Key, p => p.Value!.GetValue<int>());
}
