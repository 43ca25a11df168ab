using Workflows.Engine.Tasks;
using Workflows.Engine.Tests.Support;
using Workflows.Templates;

namespace Workflows.Engine.Tests;

public class TemplateBindingTests
{
    private static readonly string TemplatePath = Path.Combine(AppContext.BaseDirectory, "Fixtures", "template.yaml");

    private static (AslEngine Engine, BoundStateMachine Bound) Bind()
    {
        var engine = new AslEngine(Asl.Options());
        var template = SamTemplate.Load(TemplatePath);
        var bound = TemplateBinder.Bind(template, "ProvisionStateMachine", AppContext.BaseDirectory, engine.Lambda);
        return (engine, bound);
    }

    [Fact]
    public void Parse_ShortFormTags_FunctionsAndStateMachinesRead()
    {
        var template = SamTemplate.Load(TemplatePath);
        template.Functions.Keys.Should().BeEquivalentTo(["CreatePrimaryClusterFunction", "EchoFunction", "UnusedFunction"]);
        template.Functions["EchoFunction"].Handler.Should().Be("Workflows.Engine.Tests::Workflows.Engine.Tests.Fixtures.Handlers::Echo");
        template.StateMachines["ProvisionStateMachine"].DefinitionUri.Should().Be("provision.asl.json");
        template.Parameters["EventBusName"].Should().Be("workflows");
    }

    [Fact]
    public void Bind_GetAttArn_BecomesSyntheticLocalFunctionArn() =>
        Bind().Bound.Substitutions["CreatePrimaryClusterFunctionArn"].Should().Be("arn:aws:lambda:us-east-1:123456789012:function:CreatePrimaryClusterFunction");

    [Fact]
    public void Bind_RefSubParameterAndLongForms_Resolved()
    {
        var s = Bind().Bound.Substitutions;
        s["EchoFunctionName"].Should().Be("EchoFunction");
        s["EchoFunctionArnViaSub"].Should().Be("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction");
        s["EventBusName"].Should().Be("workflows");
        s["EventBusArn"].Should().Be("arn:aws:events:us-east-1:123456789012:event-bus/workflows");
        s["Region"].Should().Be("us-east-1");
        s["LongForm"].Should().Be("arn:aws:lambda:us-east-1:123456789012:function:EchoFunction");
    }

    [Fact]
    public void Bind_RegistersOnlyReferencedFunctionsByLogicalId()
    {
        var (engine, bound) = Bind();
        bound.Functions.Select(f => f.LogicalId).Should().BeEquivalentTo(["CreatePrimaryClusterFunction", "EchoFunction"]);
        engine.Lambda.FunctionNames.Should().BeEquivalentTo(["CreatePrimaryClusterFunction", "EchoFunction"]);
    }

    [Fact]
    public void Bind_DefinitionHasNoPlaceholdersLeft() => Bind().Bound.DefinitionJson.Should().NotContain("${");

    [Fact]
    public async Task Bind_ThenRun_CallsReflectionLoadedHandlersAndBus()
    {
        var (engine, bound) = Bind();
        var result = await engine.StartExecutionAsync(bound.DefinitionJson, """{"name":"Ana"}""", "bound-1");
        result.Status.Should().Be(ExecutionStatus.Succeeded, result.Cause);
        var output = result.Output()!;
        output["primary"]!["greeting"]!.GetValue<string>().Should().Be("hello Ana");
        output["echo"].Json().Should().Be("""{"echoed":"hello Ana"}""");
        engine.EventBus.Events.Should().ContainSingle().Which.EventBusName.Should().Be("workflows");
    }

    [Fact]
    public void Bind_UnknownStateMachine_Refused()
    {
        var act = () => TemplateBinder.Bind(SamTemplate.Load(TemplatePath), "Nope", AppContext.BaseDirectory, new LambdaFunctionRegistry());
        act.Should().Throw<ArgumentException>().WithMessage("*Nope*");
    }

    [Fact]
    public void Parse_InlineDefinitionAndSubWithVariables_Bound()
    {
        const string yaml = """
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: Workflows.Engine.Tests::Workflows.Engine.Tests.Fixtures.Handlers::Echo
              Machine:
                Type: AWS::Serverless::StateMachine
                Properties:
                  Definition:
                    StartAt: T
                    States:
                      T:
                        Type: Task
                        Resource: ${FnArn}
                        End: true
                  DefinitionSubstitutions:
                    FnArn: !Sub
                      - "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${Name}"
                      - Name: !Ref Fn
            """;
        var bound = TemplateBinder.Bind(SamTemplate.Parse(yaml), "Machine", AppContext.BaseDirectory, new LambdaFunctionRegistry(), "eu-west-1", "111122223333");
        bound.DefinitionJson.Should().Contain("arn:aws:lambda:eu-west-1:111122223333:function:Fn");
        bound.Functions.Should().ContainSingle(f => f.LogicalId == "Fn");
    }

    [Fact]
    public void BuildOutput_CodeUriRelativeToTemplate()
    {
        var template = SamTemplate.Load(TemplatePath);
        var dir = TemplateBinder.BuildOutput(template, template.Functions["EchoFunction"], "Debug");
        dir.Should().Be(Path.Combine(AppContext.BaseDirectory, "Fixtures", "bin", "Debug", "net10.0"));
    }
}
