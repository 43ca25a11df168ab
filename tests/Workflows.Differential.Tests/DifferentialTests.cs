using System.Text.Json.Nodes;

namespace Workflows.Differential.Tests;

/// <summary>
/// Every corpus case runs in our engine and in aws-local-stepfunctions (an independent ASL implementation); their
/// outcomes must be equal. A case marked "knownDifference" names a rule where aws-local-stepfunctions departs from
/// AWS's documented behaviour: there our outcome must equal the case's "expected" block, and the two engines must
/// still disagree, so the mark is dropped as soon as it stops being true.
/// </summary>
public class DifferentialTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in DifferentialCase.Files())
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void Corpus_HasAtLeastFortyCases()
    {
        DifferentialCase.Files().Should().HaveCountGreaterThanOrEqualTo(40);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Case_OurEngine_AgreesWithAwsLocalStepFunctions(string name)
    {
        var c = DifferentialCase.Load(Path.Combine(RepoPaths.Corpus, name + ".json"));
        var ours = Outcome.Canonical(await OurEngine.RunAsync(c));
        var theirs = Outcome.Canonical(AlsResults.For(name));

        if (c.KnownDifference is null)
        {
            // Both outcomes in full: FluentAssertions shortens long strings, and the pair is what one reads to judge.
            ours.Should().Be(theirs, "both engines must agree on {0}\n  ours:   {1}\n  theirs: {2}\n", name, ours, theirs);
            return;
        }

        ours.Should().Be(Outcome.Canonical(c.Expected), "ours must match AWS's documented behaviour ({0})\n  ours:   {1}\n", c.KnownDifference, ours);
        theirs.Should().NotBe(ours, "the known difference is gone; drop knownDifference/expected from {0}", name);
    }
}
