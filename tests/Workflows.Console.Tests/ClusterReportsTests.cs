using System.Text.Json.Nodes;
using Workflows.WebConsole.Executions;

namespace Workflows.WebConsole.Tests;

/// <summary>The clusters table's data: the steps' reports in task results, the latest per cluster.</summary>
public sealed class ClusterReportsTests
{
    [Fact]
    public void From_TwoReportsOfOneCluster_LatestWinsFirstSeenOrderKept()
    {
        var events = new List<JsonObject>
        {
            Entered(1, "Create"),
            Result(2, 1, """{"region":"us-east-1","identifier":"p","status":"CREATING"}"""),
            Entered(3, "Check"),
            Result(4, 3, """{"clusters":[{"region":"us-east-2","identifier":"q","status":"ACTIVE"},{"region":"us-east-1","identifier":"p","status":"ACTIVE","arn":"arn:p"}]}"""),
        };

        var reports = ClusterReports.From(events);

        reports.Should().Equal(
            new ClusterReport("us-east-1", "p", "ACTIVE", "arn:p", 4, "Check"),
            new ClusterReport("us-east-2", "q", "ACTIVE", null, 4, "Check"));
    }

    [Fact]
    public void From_ClusterNotFound_SaysSo()
    {
        var reports = ClusterReports.From([Entered(1, "Confirm"), Result(2, 1, """{"region":"us-east-1","identifier":"p","status":null,"found":false}""")]);

        reports.Single().Status.Should().Be("NOT FOUND");
    }

    [Fact]
    public void From_StateOutputsAndNonJson_Ignored()
    {
        var exited = new JsonObject
        {
            ["id"] = 2, ["previousEventId"] = 1, ["type"] = "TaskStateExited",
            ["stateExitedEventDetails"] = new JsonObject { ["name"] = "X", ["output"] = """{"region":"us-east-1","identifier":"old","status":"CREATING"}""" },
        };

        ClusterReports.From([Entered(1, "X"), exited, Result(3, 2, "not json")]).Should().BeEmpty();
    }

    private static JsonObject Entered(long id, string name) => new()
    {
        ["id"] = id, ["previousEventId"] = id - 1, ["type"] = "TaskStateEntered",
        ["stateEnteredEventDetails"] = new JsonObject { ["name"] = name, ["input"] = "{}" },
    };

    private static JsonObject Result(long id, long previous, string output) => new()
    {
        ["id"] = id, ["previousEventId"] = previous, ["type"] = "TaskSucceeded",
        ["taskSucceededEventDetails"] = new JsonObject { ["resource"] = "invoke", ["resourceType"] = "lambda", ["output"] = output },
    };
}
