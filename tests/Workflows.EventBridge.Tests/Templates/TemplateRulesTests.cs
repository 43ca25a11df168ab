using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Workflows.EventBridge.Bus;
using Workflows.EventBridge.Patterns;
using Workflows.EventBridge.Templates;
using Workflows.EventBridge.Tests.Bus;
using Workflows.Templates;

namespace Workflows.EventBridge.Tests.Templates;

/// <summary>The rules of the repository's template.yaml against the request events in events/.</summary>
public sealed class TemplateRulesTests
{
    private static readonly Lazy<IReadOnlyList<TemplateRule>> Rules = new(() => TemplateRules.Read(SamTemplate.Load(RepositoryFiles.TemplatePath)));

    private static IEnumerable<TemplateRule> Matching(string eventJson) => Rules.Value.Where(r => r.Rule.Pattern!.Matches(eventJson));

    [Fact]
    public void Read_RepositoryTemplate_HasTheThreeRequestRulesOnTheWorkflowsBus()
    {
        Rules.Value.Select(r => (r.EventBusName, r.Rule.Name, r.Rule.StateMachineLogicalId)).Should().BeEquivalentTo(new[]
        {
            ("workflows", "ProvisionStateMachineProvisionRequested", "ProvisionStateMachine"),
            ("workflows", "TeardownStateMachineTeardownRequested", "TeardownStateMachine"),
            ("workflows", "UpdateStateMachineUpdateRequested", "UpdateStateMachine"),
        });
    }

    [Fact]
    public void Read_RepositoryTemplate_TargetsCarryInputPathRetryPolicyAndDeadLetterQueue()
    {
        foreach (var rule in Rules.Value)
        {
            var target = rule.Rule.Targets.Should().ContainSingle().Which;
            target.Id.Should().Be(rule.Rule.Name + "StepFunctionsTarget");
            target.Arn.Should().Be($"arn:aws:states:us-east-1:123456789012:stateMachine:{rule.Rule.StateMachineLogicalId}");
            target.InputPath.Should().Be("$.detail");
            target.RetryPolicy.MaximumRetryAttempts.Should().Be(5);
            target.RetryPolicy.MaximumEventAgeInSeconds.Should().Be(3600);
            target.DeadLetterArn.Should().Be("arn:aws:sqs:us-east-1:123456789012:RequestDeadLetterQueue");
            rule.Rule.State.Should().Be(RuleState.Enabled);
        }
    }

    [Fact]
    public void Read_RepositoryTemplate_SourceComesFromTheRequestEventSourcesParameter()
    {
        JsonNode.Parse(Rules.Value[0].Rule.Pattern!.Text)!["source"]!.AsArray().Select(s => s!.GetValue<string>()).Should().Equal("workflows.requests");
    }

    [Theory]
    [InlineData("provision-requested-event.json", "ProvisionStateMachine")]
    [InlineData("teardown-requested-event.json", "TeardownStateMachine")]
    [InlineData("update-requested-event.json", "UpdateStateMachine")]
    public void Matches_RequestEvent_StartsOnlyItsStateMachine(string file, string machine)
    {
        Matching(RepositoryFiles.Event(file)).Select(r => r.Rule.StateMachineLogicalId).Should().Equal(machine);
    }

    [Theory]
    [InlineData("detail-type", "DSQL Cluster Pair Provision Requested!")]
    [InlineData("detail-type", "dsql cluster pair provision requested")]
    [InlineData("source", "workflows.other")]
    [InlineData("source", "aws.events")]
    public void Matches_RequestEventWithAnotherSourceOrDetailType_MatchesNothing(string field, string value)
    {
        var evt = JsonNode.Parse(RepositoryFiles.Event("provision-requested-event.json"))!.AsObject();
        evt[field] = value;

        Matching(evt.ToJsonString()).Should().BeEmpty();
    }

    [Fact]
    public void PutEvents_ProvisionRequestOnTheBus_DeliversItsDetailToTheProvisionStateMachine()
    {
        var target = new FakeTarget();
        var service = new EventBridgeService(target, timeProvider: new FakeTimeProvider());
        TemplateRules.Apply(service, Rules.Value);
        var file = JsonNode.Parse(RepositoryFiles.Event("provision-requested-event.json"))!.AsObject();

        var result = service.PutEvents([new PutEventsEntry(
            (string)file["source"]!, (string)file["detail-type"]!, file["detail"]!.ToJsonString(), EventBusName: "workflows")]);

        result.FailedEntryCount.Should().Be(0);
        var invocation = target.Invocations.Should().ContainSingle().Which;
        invocation.Target.Arn.Should().EndWith(":stateMachine:ProvisionStateMachine");
        JsonNode.DeepEquals(JsonNode.Parse(invocation.Input), file["detail"]).Should().BeTrue();
        service.FindBus("workflows")!.ListEvents().Single().MatchedRules.Should().Equal("ProvisionStateMachineProvisionRequested");
    }

    [Fact]
    public void PutEvents_RequestOnTheDefaultBus_StartsNothing()
    {
        var target = new FakeTarget();
        var service = new EventBridgeService(target, timeProvider: new FakeTimeProvider());
        TemplateRules.Apply(service, Rules.Value);

        service.PutEvents([new PutEventsEntry("workflows.requests", "DSQL Cluster Pair Provision Requested", "{}")]);

        target.Invocations.Should().BeEmpty();
    }

    private const string InlineTemplate = """
        Parameters:
          Sources:
            Type: CommaDelimitedList
            Default: "a.one,a.two"
        Resources:
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties:
              Events:
                Nightly:
                  Type: CloudWatchEvent
                  Properties:
                    Pattern:
                      source: !Ref Sources
                      detail:
                        count: [ { numeric: [ ">", 3 ] } ]
                    Input: '{"fixed": true}'
                    State: DISABLED
          ManualRule:
            Type: AWS::Events::Rule
            Properties:
              Name: manual
              EventBusName: !GetAtt Bus.Name
              EventPattern:
                detail-type: [ !Sub "${AWS::Region} thing" ]
              Targets:
                - Id: one
                  Arn: !Ref Machine
                  InputTransformer:
                    InputPathsMap:
                      who: $.detail.who
                    InputTemplate: '"hello <who>"'
                  RetryPolicy:
                    MaximumRetryAttempts: 0
          Bus:
            Type: AWS::Events::EventBus
            Properties:
              Name: custom
        """;

    [Fact]
    public void Read_CloudWatchEventAndEventsRule_ReadsEveryProperty()
    {
        var rules = TemplateRules.Read(SamTemplate.Parse(InlineTemplate), region: "eu-west-1", account: "111122223333");

        var sam = rules.Single(r => r.Rule.Name == "MachineNightly");
        sam.EventBusName.Should().Be("default");
        sam.Rule.State.Should().Be(RuleState.Disabled);
        sam.Rule.Targets.Single().Input.Should().Be("{\"fixed\": true}");
        sam.Rule.Pattern!.Matches("""{ "source": "a.two", "detail": { "count": 4 } }""").Should().BeTrue();
        sam.Rule.Pattern!.Matches("""{ "source": "a.two", "detail": { "count": 3 } }""").Should().BeFalse();

        var manual = rules.Single(r => r.Rule.Name == "manual");
        manual.EventBusName.Should().Be("custom");
        manual.Rule.StateMachineLogicalId.Should().Be("Machine");
        manual.Rule.Pattern!.Matches("""{ "detail-type": "eu-west-1 thing" }""").Should().BeTrue();
        var target = manual.Rule.Targets.Single();
        target.Arn.Should().Be("arn:aws:states:eu-west-1:111122223333:stateMachine:Machine");
        target.RetryPolicy.MaximumRetryAttempts.Should().Be(0);
        target.InputTransformer!.Transform(new JsonObject { ["detail"] = new JsonObject { ["who"] = "you" } }, new("arn", "manual", DateTimeOffset.UnixEpoch))
            .Should().Be("\"hello you\"");
    }

    [Fact]
    public void Read_MachineArnMappedByTheHost_UsesThatArn()
    {
        var rules = TemplateRules.Read(SamTemplate.Load(RepositoryFiles.TemplatePath), stateMachineArn: id => $"arn:aws:states:us-east-1:123456789012:stateMachine:local-{id}");

        rules.Select(r => r.Rule.Targets.Single().Arn).Should().AllSatisfy(a => a.Should().StartWith("arn:aws:states:us-east-1:123456789012:stateMachine:local-"));
    }

    [Fact]
    public void Read_InvalidPatternInTheTemplate_ThrowsNamingTheRuleAndPath()
    {
        var yaml = """
            Resources:
              M:
                Type: AWS::Serverless::StateMachine
                Properties:
                  Events:
                    E:
                      Type: EventBridgeRule
                      Properties:
                        Pattern:
                          source: aws.ec2
            """;

        var act = () => TemplateRules.Read(SamTemplate.Parse(yaml));

        act.Should().Throw<InvalidEventPatternException>().WithMessage("*\"source\" must be an object or an array at \"source\" (rule ME)");
    }
}
