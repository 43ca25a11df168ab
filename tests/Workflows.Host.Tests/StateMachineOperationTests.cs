using System.Text.Json.Nodes;
using Workflows.Host.Tests.Support;

namespace Workflows.Host.Tests;

/// <summary>Create, describe, list, update, delete and validate state machines over HTTP.</summary>
public sealed class StateMachineOperationTests : IAsyncLifetime
{
    private HostHarness _h = null!;

    public async Task InitializeAsync() => _h = await HostHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task CreateStateMachine_NewName_ArnAndDescribeShowIt()
    {
        var arn = await _h.CreateMachineAsync("hello", Definitions.PassOnly);

        arn.Should().Be("arn:aws:states:us-east-1:123456789012:stateMachine:hello");
        var described = await _h.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn });
        described["name"]!.GetValue<string>().Should().Be("hello");
        described["status"]!.GetValue<string>().Should().Be("ACTIVE");
        described["type"]!.GetValue<string>().Should().Be("STANDARD");
        described["definition"]!.GetValue<string>().Should().Be(Definitions.PassOnly);
        described["roleArn"]!.GetValue<string>().Should().Be(HostHarness.RoleArn);
        // awsJson dates are epoch seconds (numbers): 2026-01-02T03:04:05Z on the harness's virtual clock.
        described["creationDate"]!.GetValue<double>().Should().Be(1767323045);
    }

    [Fact]
    public async Task CreateStateMachine_SameRequestTwice_Idempotent()
    {
        var first = await _h.CreateMachineAsync("twice", Definitions.PassOnly);
        var second = await _h.CreateMachineAsync("twice", Definitions.PassOnly);

        second.Should().Be(first);
    }

    [Fact]
    public async Task CreateStateMachine_SameNameOtherDefinition_StateMachineAlreadyExists()
    {
        await _h.CreateMachineAsync("taken", Definitions.PassOnly);

        var message = await _h.RefusedAsync("CreateStateMachine", new JsonObject { ["name"] = "taken", ["definition"] = Definitions.WaitTenMinutes, ["roleArn"] = HostHarness.RoleArn }, "StateMachineAlreadyExists");
        message.Should().Contain("stateMachine:taken");
    }

    [Fact]
    public async Task CreateStateMachine_BrokenDefinition_InvalidDefinitionNamingTheState()
    {
        var message = await _h.RefusedAsync("CreateStateMachine", new JsonObject
        {
            ["name"] = "broken",
            ["definition"] = """{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}""",
            ["roleArn"] = HostHarness.RoleArn,
        }, "InvalidDefinition");

        message.Should().Contain("Nowhere").And.Contain("/States/A");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a:b")]
    [InlineData("")]
    public async Task CreateStateMachine_BadName_InvalidName(string name)
    {
        await _h.RefusedAsync("CreateStateMachine", new JsonObject { ["name"] = name, ["definition"] = Definitions.PassOnly, ["roleArn"] = HostHarness.RoleArn }, "InvalidName");
    }

    [Fact]
    public async Task CreateStateMachine_MissingRole_ValidationExceptionNamingTheField()
    {
        var message = await _h.RefusedAsync("CreateStateMachine", new JsonObject { ["name"] = "x", ["definition"] = Definitions.PassOnly }, "ValidationException");

        message.Should().Contain("'roleArn'");
    }

    [Fact]
    public async Task CreateStateMachine_UnknownType_ValidationExceptionListingTheTypes()
    {
        var message = await _h.RefusedAsync("CreateStateMachine", new JsonObject { ["name"] = "x", ["definition"] = Definitions.PassOnly, ["roleArn"] = HostHarness.RoleArn, ["type"] = "FAST" }, "ValidationException");

        message.Should().Contain("STANDARD, EXPRESS");
    }

    [Fact]
    public async Task DescribeStateMachine_Unknown_StateMachineDoesNotExist()
    {
        await _h.RefusedAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:none" }, "StateMachineDoesNotExist");
    }

    [Fact]
    public async Task DescribeStateMachine_NotAnArn_InvalidArn()
    {
        await _h.RefusedAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = "hello" }, "InvalidArn");
    }

    [Fact]
    public async Task ListStateMachines_ThreeMachinesPagesOfTwo_TwoPagesByName()
    {
        foreach (var name in new[] { "c", "a", "b" })
        {
            await _h.CreateMachineAsync(name, Definitions.PassOnly);
        }

        var first = await _h.CallAsync("ListStateMachines", new JsonObject { ["maxResults"] = 2 });
        var second = await _h.CallAsync("ListStateMachines", new JsonObject { ["maxResults"] = 2, ["nextToken"] = first["nextToken"]!.GetValue<string>() });

        Names(first).Should().Equal("a", "b");
        Names(second).Should().Equal("c");
        second["nextToken"].Should().BeNull();
    }

    [Fact]
    public async Task ListStateMachines_ForgedToken_InvalidToken()
    {
        await _h.RefusedAsync("ListStateMachines", new JsonObject { ["nextToken"] = "not-a-token" }, "InvalidToken");
    }

    [Fact]
    public async Task UpdateStateMachine_NewDefinition_DescribeShowsItWithRevision()
    {
        var arn = await _h.CreateMachineAsync("upd", Definitions.PassOnly);

        var updated = await _h.CallAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = arn, ["definition"] = Definitions.WaitTenMinutes });

        updated["updateDate"]!.GetValue<double>().Should().BePositive();
        var described = await _h.CallAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn });
        described["definition"]!.GetValue<string>().Should().Be(Definitions.WaitTenMinutes);
        described["revisionId"]!.GetValue<string>().Should().Be(updated["revisionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task UpdateStateMachine_NothingToChange_MissingRequiredParameter()
    {
        var arn = await _h.CreateMachineAsync("same", Definitions.PassOnly);

        await _h.RefusedAsync("UpdateStateMachine", new JsonObject { ["stateMachineArn"] = arn }, "MissingRequiredParameter");
    }

    [Fact]
    public async Task DeleteStateMachine_Existing_GoneFromDescribeAndList()
    {
        var arn = await _h.CreateMachineAsync("doomed", Definitions.PassOnly);

        await _h.CallAsync("DeleteStateMachine", new JsonObject { ["stateMachineArn"] = arn });

        await _h.RefusedAsync("DescribeStateMachine", new JsonObject { ["stateMachineArn"] = arn }, "StateMachineDoesNotExist");
        Names(await _h.CallAsync("ListStateMachines", [])).Should().NotContain("doomed");
    }

    [Fact]
    public async Task ValidateStateMachineDefinition_Valid_OkWithoutDiagnostics()
    {
        var result = await _h.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = Definitions.PassOnly });

        result["result"]!.GetValue<string>().Should().Be("OK");
        result["diagnostics"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task ValidateStateMachineDefinition_Invalid_FailWithLocatedDiagnostic()
    {
        var result = await _h.CallAsync("ValidateStateMachineDefinition", new JsonObject { ["definition"] = """{"StartAt":"A","States":{"A":{"Type":"Pass"}}}""" });

        result["result"]!.GetValue<string>().Should().Be("FAIL");
        var diagnostic = result["diagnostics"]!.AsArray().Single()!;
        diagnostic["severity"]!.GetValue<string>().Should().Be("ERROR");
        diagnostic["code"]!.GetValue<string>().Should().Be("SCHEMA_VALIDATION_FAILED");
        diagnostic["location"]!.GetValue<string>().Should().StartWith("/States/A");
    }

    [Fact]
    public async Task TagResource_ThenList_TagsWithLaterValueWinning()
    {
        var arn = await _h.CreateMachineAsync("tagged", Definitions.PassOnly);

        await _h.CallAsync("TagResource", new JsonObject { ["resourceArn"] = arn, ["tags"] = new JsonArray(Tag("team", "a"), Tag("env", "dev")) });
        await _h.CallAsync("TagResource", new JsonObject { ["resourceArn"] = arn, ["tags"] = new JsonArray(Tag("team", "b")) });
        await _h.CallAsync("UntagResource", new JsonObject { ["resourceArn"] = arn, ["tagKeys"] = new JsonArray("env") });

        var tags = (await _h.CallAsync("ListTagsForResource", new JsonObject { ["resourceArn"] = arn }))["tags"]!.AsArray();
        tags.Select(t => $"{t!["key"]}={t["value"]}").Should().Equal("team=b");
    }

    [Fact]
    public async Task TagResource_UnknownMachine_ResourceNotFound()
    {
        await _h.RefusedAsync("TagResource", new JsonObject { ["resourceArn"] = "arn:aws:states:us-east-1:123456789012:stateMachine:none", ["tags"] = new JsonArray(Tag("a", "b")) }, "ResourceNotFound");
    }

    private static JsonObject Tag(string key, string value) => new() { ["key"] = key, ["value"] = value };

    private static List<string> Names(JsonObject list) =>
        [.. list["stateMachines"]!.AsArray().Select(m => m!["name"]!.GetValue<string>())];
}
