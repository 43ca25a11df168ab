using Microsoft.Extensions.Time.Testing;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Targets;

namespace Workflows.EventBridge.Tests.Targets;

public sealed class RoutingEventTargetTests
{
    [Fact]
    public void Deliver_RegisteredArn_CallsItsHandlerAndAnUnboundArnIsDeadLettered()
    {
        var started = new List<string>();
        var router = new RoutingEventTarget().Register("arn:aws:states:us-east-1:123456789012:stateMachine:Bound", (invocation, _) =>
        {
            started.Add(invocation.Input);
            return Task.FromResult(TargetOutcome.Success);
        });
        var bus = new EventBus("b", router, timeProvider: new FakeTimeProvider());
        bus.PutRule(new EventRule("r", EventPattern.Parse("""{ "source": ["s"] }"""))).PutTargets([
            new RuleTarget("bound", "arn:aws:states:us-east-1:123456789012:stateMachine:Bound", input: "{\"go\":1}"),
            new RuleTarget("unbound", "arn:aws:states:us-east-1:123456789012:stateMachine:Missing"),
        ]);

        bus.Put(new System.Text.Json.Nodes.JsonObject { ["source"] = "s", ["id"] = "1" });

        started.Should().Equal("{\"go\":1}");
        var dead = bus.DeadLetters.Should().ContainSingle().Which;
        dead.TargetId.Should().Be("unbound");
        dead.ErrorCode.Should().Be("NO_RESOURCE");
        dead.RetryAttempts.Should().Be(0);
    }
}
