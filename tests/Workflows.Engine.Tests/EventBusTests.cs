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
}
