using System.Text;
using Xunit.Abstractions;

namespace Workflows.Conformance.Tests;

/// <summary>
/// The engine against outcomes recorded on real AWS Step Functions. A ratchet: overall agreement may not drop below
/// <see cref="AgreeingAtLeast"/>, and each category's disagreements must be exactly those in known-disagreements.txt.
/// </summary>
public class ConformanceTests(ITestOutputHelper output)
{
    /// <summary>The agreement reached so far; raise it as the engine improves, never lower it.</summary>
    public const int AgreeingAtLeast = 970;

    public static TheoryData<string> Categories()
    {
        var data = new TheoryData<string>();
        if (ConformanceData.CasesDirectory is { } dir)
        {
            foreach (var category in ConformanceCase.LoadAll(dir).Select(c => c.Category).Distinct().Order(StringComparer.Ordinal))
            {
                data.Add(category);
            }
        }

        return data;
    }

    [ConformanceFact]
    public async Task AllCases_Agreement_AtLeastTheRatchet()
    {
        var verdicts = await ConformanceRun.AllAsync();
        KnownDisagreements.UpdateIfAsked(verdicts);
        var summary = ConformanceRun.Summary(verdicts);
        output.WriteLine(summary);
        var folder = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "conformance-summary.txt"), summary);

        verdicts.Count(v => v.Agrees).Should().BeGreaterThanOrEqualTo(AgreeingAtLeast, "agreement must not drop:\n{0}", summary);
    }

    [ConformanceFact]
    public void KnownDisagreements_EveryListedCase_Exists()
    {
        var files = Directory.EnumerateFiles(ConformanceData.CasesDirectory!, "*.json").Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        KnownDisagreements.All.Keys.Where(k => !files.Contains(k)).Should().BeEmpty("every listed case must be a case file");
    }

    [ConformanceTheory]
    [MemberData(nameof(Categories))]
    public async Task Category_EngineOutcomes_AgreeWithAwsExceptKnownDisagreements(string category)
    {
        var verdicts = (await ConformanceRun.AllAsync()).Where(v => v.Case.Category == category).ToList();
        output.WriteLine(ConformanceRun.Line(category, verdicts));
        var known = KnownDisagreements.All;
        var newly = verdicts.Where(v => !v.Agrees && !known.ContainsKey(v.Case.File)).ToList();
        var fixedNow = verdicts.Where(v => v.Agrees && known.ContainsKey(v.Case.File)).ToList();
        foreach (var v in verdicts.Where(v => !v.Agrees))
        {
            output.WriteLine($"  {(v.Outcome.Refused ? "refused " : "disagree")} {v.Case.File}: {v.Difference}");
        }

        var message = new StringBuilder();
        Append(message, "disagreements not in known-disagreements.txt", newly.Where(v => !v.Outcome.Refused));
        Append(message, "refused at load, not in known-disagreements.txt", newly.Where(v => v.Outcome.Refused));
        Append(message, "listed in known-disagreements.txt but now agree with AWS (remove them)", fixedNow);
        message.ToString().Should().BeEmpty();
    }

    private static void Append(StringBuilder sb, string title, IEnumerable<CaseVerdict> verdicts)
    {
        var list = verdicts.ToList();
        if (list.Count == 0)
        {
            return;
        }

        sb.AppendLine($"{title} ({list.Count}):");
        foreach (var v in list)
        {
            sb.AppendLine($"  {v.Case.File}: {v.Difference ?? "agrees"}");
        }
    }
}
