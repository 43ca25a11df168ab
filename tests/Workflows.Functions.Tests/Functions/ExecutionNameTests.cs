using Workflows.Core.Errors;
using Workflows.Core.Requests;
using Workflows.Core.Steps;
using Workflows.Functions.Tests.Support;

namespace Workflows.Functions.Tests.Functions;

/// <summary>Every name Step Functions accepts must carry a provision through; a name that is not tag-safe is tagged by its hash.</summary>
public sealed class ExecutionNameTests : DsqlLocalTestBase
{
    [Theory]
    [InlineData("release(1)")]
    [InlineData("déploiement-été")]
    [InlineData("a!b'c)(d")]
    [InlineData("plain-name_1.2=3+4@5")]
    public void IsValidExecutionName_NamesStepFunctionsAccepts_True(string name) =>
        RequestRules.IsValidExecutionName(name).Should().BeTrue();

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("colon:name")]
    [InlineData("slash/name")]
    [InlineData("brace{")]
    [InlineData("question?")]
    [InlineData("ctrl\u0085")]
    [InlineData(null)]
    public void IsValidExecutionName_NamesStepFunctionsRefuses_False(string? name) =>
        RequestRules.IsValidExecutionName(name).Should().BeFalse();

    [Fact]
    public void IsValidExecutionName_LengthLimit_EightyAllowed()
    {
        RequestRules.IsValidExecutionName(new string('a', 80)).Should().BeTrue();
        RequestRules.IsValidExecutionName(new string('a', 81)).Should().BeFalse();
    }

    [Fact]
    public async Task CreatePrimary_NameNotTagSafe_CreatesTaggedWithTheNamesHashAndTheSearchFindsIt()
    {
        const string name = "release(1)";

        var created = await CreatePrimaryAsync(name);

        var tag = Clusters.Should().ContainSingle().Subject.Tags[RequestRules.ExecutionTagKey];
        tag.Should().StartWith("sha256:").And.HaveLength("sha256:".Length + 64).And.Be(ExecutionTags.TagValue(name));
        var found = await Lambda.InvokeAsync(FindFunction().FunctionHandler, new { executionName = name, stateMachineArn = StateMachine, regions = new[] { Primary } });
        found.GetProperty("clusters").EnumerateArray().Select(c => c.Str("identifier")).Should().Equal(created.Str("identifier"));
    }

    [Fact]
    public void TagValue_TagSafeName_Unchanged() =>
        ExecutionTags.TagValue("run-1").Should().Be("run-1");

    [Fact]
    public async Task CreatePrimary_NameStepFunctionsRefuses_InvalidRequestNamingTheRule()
    {
        var act = () => Lambda.InvokeAsync(PrimaryFunction().FunctionHandler, """{"executionName":"a:b","region":"us-east-1","witnessRegion":"us-west-2"}""");

        var error = (await act.Should().ThrowAsync<InvalidRequestException>()).Which;
        error.Field.Should().Be("executionName");
        error.Rule.Should().Contain("Step Functions accepts").And.Contain("1 to 80");
        Clusters.Should().BeEmpty();
    }
}
