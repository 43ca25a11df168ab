using Workflows.Engine.Tests.Support;

namespace Workflows.Engine.Tests;

public class EventBusTests
{
    [Fact]
    public async Task PutEvents_RecordsEntriesAndAnswersLikePutEvents()
    {
        var engine = new AslEngine(Asl.Options());
        var result = await engine.StartExecutionAsync(Asl.Single("""
            {"Type":"Task","Resource":"arn:aws:states:::events:putEvents","End":true,"Parameters":{"Entries":[
              {"EventBusName":"workflows","Source":"app","DetailType":"Done","Detail":{"id.$":"$.id"}},
              {"Source":"app","DetailType":"AsString","Detail":"{\"k\":1}"}]}}
            """), """{"id":"x1"}""", "bus-1");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        var output = result.Output()!;
        output["FailedEntryCount"]!.GetValue<int>().Should().Be(0);
        output["Entries"]!.AsArray().Should().HaveCount(2).And.OnlyContain(e => e!["EventId"] != null);
        var events = engine.EventBus.Events;
        events[0].Should().Match<Tasks.LocalEvent>(e => e.EventBusName == "workflows" && e.Source == "app" && e.DetailType == "Done");
        events[0].Detail.Json().Should().Be("""{"id":"x1"}""");
        events[1].EventBusName.Should().Be("default");
        events[1].Detail.Json().Should().Be("""{"k":1}""");
        events[0].Time.Should().Be(Asl.Epoch);
    }

    [Fact]
    public async Task PutEvents_WithoutEntries_FailsWithValidationError()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","Parameters":{},"End":true}"""));
        result.Error.Should().Be("EventBridge.ValidationException");
    }

    [Fact]
    public async Task PutEvents_HistoryUsesTaskEventsWithServiceNames()
    {
        var result = await Asl.RunAsync(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","Parameters":{"Entries":[{"Source":"a","DetailType":"b","Detail":{}}]},"End":true}"""));
        var scheduled = result.History.Single(e => e.Type == "TaskScheduled");
        scheduled.Details["resourceType"]!.GetValue<string>().Should().Be("events");
        scheduled.Details["resource"]!.GetValue<string>().Should().Be("putEvents");
        scheduled.Details["region"]!.GetValue<string>().Should().Be("us-east-1");
        result.Types().Should().ContainInOrder("TaskScheduled", "TaskStarted", "TaskSucceeded");
    }

    private const string PutEvents = "arn:aws:states:::events:putEvents";

    private static Definition.AslValidationException Refused(string definition)
    {
        var act = () => AslEngine.Load(definition);
        return act.Should().Throw<Definition.AslValidationException>().Which;
    }

    [Fact]
    public void Load_MisspeltEntryFields_RefusedNamingEach()
    {
        var problems = Refused(Asl.Single($$$"""
            {"Type":"Task","Resource":"{{{PutEvents}}}","End":true,"Parameters":{"Entries":[{"Sauce":"app","DetailTyp.$":"$.t","Detail":{}}]}}
            """)).Problems;

        problems.Should().Contain(p => p.State == "S" && p.Field == "Parameters.Entries[0].Sauce" && p.Message.Contains("'Sauce' is not a parameter"));
        problems.Should().Contain(p => p.Field == "Parameters.Entries[0].DetailTyp.$" && p.Message.Contains("'DetailTyp'"));
    }

    [Fact]
    public void Load_UnknownTopLevelParameter_Refused() =>
        Refused(Asl.Single("""{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","End":true,"Parameters":{"Entries":[],"Entry":{}}}""")).Problems
            .Should().ContainSingle(p => p.Field == "Parameters.Entry");

    [Fact]
    public async Task PutEvents_DynamicEntryWithUnknownField_FailsWithStatesRuntime()
    {
        var result = await Asl.RunAsync(
            Asl.Single($$$"""{"Type":"Task","Resource":"{{{PutEvents}}}","End":true,"Parameters":{"Entries.$":"$.entries"}}"""),
            """{"entries":[{"Sauce":"app","DetailType":"T","Detail":{}}]}""");

        result.Error.Should().Be("States.Runtime");
        result.Cause.Should().Contain("Sauce");
    }

    [Theory]
    [InlineData("""{"DetailType":"T","Detail":{}}""", "InvalidArgument", "Source")]
    [InlineData("""{"Source":"app","Detail":{}}""", "InvalidArgument", "DetailType")]
    [InlineData("""{"Source":"app","DetailType":"T"}""", "InvalidArgument", "Detail")]
    [InlineData("""{"Source":"app","DetailType":"T","Detail":"not json"}""", "MalformedDetail", "Detail")]
    [InlineData("""{"Source":"app","DetailType":"T","Detail":"[1,2]"}""", "MalformedDetail", "Detail")]
    public async Task PutEvents_InvalidEntry_FailsWithFailedEntryAndTheEntryError(string entry, string code, string field)
    {
        var engine = new AslEngine(Asl.Options());

        var result = await engine.StartExecutionAsync(
            Asl.Single($$$"""{"Type":"Task","Resource":"{{{PutEvents}}}","End":true,"Parameters":{"Entries":[{"Source":"ok","DetailType":"Fine","Detail":{}},{{{entry}}}]}}"""),
            "{}",
            "bad-entry");

        result.Status.Should().Be(ExecutionStatus.Failed);
        result.Error.Should().Be("EventBridge.FailedEntry");
        var response = System.Text.Json.Nodes.JsonNode.Parse(result.Cause!)!;
        response["FailedEntryCount"]!.GetValue<int>().Should().Be(1);
        response["Entries"]![0]!["EventId"].Should().NotBeNull("the valid entry of the batch is accepted");
        response["Entries"]![1]!["ErrorCode"]!.GetValue<string>().Should().Be(code);
        response["Entries"]![1]!["ErrorMessage"]!.GetValue<string>().Should().Contain(field);
        engine.EventBus.Events.Should().ContainSingle(e => e.DetailType == "Fine");
    }

    [Fact]
    public async Task PutEvents_Resources_AppendsExecutionAndStateMachineArns()
    {
        var engine = new AslEngine(Asl.Options());

        await engine.StartExecutionAsync(
            Asl.Single($$$"""{"Type":"Task","Resource":"{{{PutEvents}}}","End":true,"Parameters":{"Entries":[{"Source":"a","DetailType":"b","Detail":{},"Resources":["arn:aws:dsql:us-east-1:123456789012:cluster/x"]}]}}"""),
            "{}",
            "with-resources");

        engine.EventBus.Events.Single().Resources.Should().Equal(
            "arn:aws:dsql:us-east-1:123456789012:cluster/x",
            "arn:aws:states:us-east-1:123456789012:execution:Machine:with-resources",
            "arn:aws:states:us-east-1:123456789012:stateMachine:Machine");
    }

    [Fact]
    public async Task PutEvents_SameSeed_SameEventIdsAndHistory()
    {
        const string Definition = """{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","End":true,"Parameters":{"Entries":[{"Source":"a","DetailType":"b","Detail":{}},{"Source":"a","DetailType":"c","Detail":{}}]}}}}""";

        var first = await Asl.RunAsync(Definition, "{}", Asl.Options(seed: 5), "same");
        var second = await Asl.RunAsync(Definition, "{}", Asl.Options(seed: 5), "same");
        var other = await Asl.RunAsync(Definition, "{}", Asl.Options(seed: 6), "same");

        second.ToHistoryJson().Json().Should().Be(first.ToHistoryJson().Json());
        second.Output.Should().Be(first.Output);
        other.Output.Should().NotBe(first.Output, "event ids come from the seed");
    }
}
