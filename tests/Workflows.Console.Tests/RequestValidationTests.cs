using Workflows.WebConsole.Inputs;
using Workflows.WebConsole.Tests.Support;

namespace Workflows.WebConsole.Tests;

/// <summary>Which console inputs fit which machine, and the checks before a start.</summary>
public sealed class RequestValidationTests
{
    [Theory]
    [InlineData("provision.asl.json", "ProvisionStateMachine", "provision", "provision-input.json")]
    [InlineData("teardown.asl.json", "TeardownStateMachine", "teardown", "teardown-input.json")]
    [InlineData("update.asl.json", "UpdateStateMachine", "update", "update-input.json")]
    public void Presets_RealMachine_ItsOwnInputFirstAndNoFunctionTestEvents(string file, string machine, string kind, string first)
    {
        var found = RequestValidation.KindOf(machine, Repo.Bound(file));
        var presets = new InputPresets(Repo.Events).For(found, RequestValidation.For(found));

        found.Should().Be(kind);
        presets.Should().NotBeEmpty();
        presets[0].FileName.Should().Be(first);
        presets.Select(p => p.FileName).Should().NotContain(n => n.StartsWith("Validate", StringComparison.Ordinal) || n.EndsWith("-requested-event.json", StringComparison.Ordinal));
    }

    [Fact]
    public void KindOf_FromTheStartAtFunctionNotTheName()
    {
        RequestValidation.KindOf("Anything", Repo.Bound("teardown.asl.json")).Should().Be("teardown");
        RequestValidation.KindOf("Anything", """{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}""").Should().BeNull();
    }

    [Fact]
    public void For_NoKind_SyntaxOnly()
    {
        var validate = RequestValidation.For(null);

        validate("""{"anything": 1}""").Should().BeNull();
        validate("[1, 2").Should().NotBeNull().And.Match<InputProblem>(p => p.Field == "input" && p.Rule.StartsWith("is not JSON: line 1", StringComparison.Ordinal));
    }

    [Fact]
    public void For_Teardown_UnknownMemberNamed()
    {
        var problem = RequestValidation.For("teardown")("""{"primary":{"region":"us-east-1","identifier":"q4abtx7ukcmhsdnk2vzp3ewl5y"},"peer":{"arn":"arn:aws:dsql:us-east-2:123456789012:cluster/r7cdvy2mfqjt8wbn4xkz6ahs3u"},"colour":"red"}""");

        problem.Should().NotBeNull();
        problem!.ToString().Should().Contain("colour");
    }

    [Fact]
    public void Presets_NoDirectory_Empty()
    {
        new InputPresets(Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N"))).For(null, RequestValidation.For(null)).Should().BeEmpty();
    }
}
