using System.Globalization;
using System.Text;

namespace Workflows.Conformance.Tests;

/// <summary>One case's verdict: null Difference means the engine agrees with AWS.</summary>
public sealed record CaseVerdict(ConformanceCase Case, EngineOutcome Outcome, string? Difference)
{
    public bool Agrees => Difference is null;
}

/// <summary>
/// Every case, run once per test process (the tests share the verdicts), two at a time: the machine's two cores
/// are shared, and each execution already runs on its own scheduler thread.
/// </summary>
public static class ConformanceRun
{
    private static readonly Lazy<Task<IReadOnlyList<CaseVerdict>>> Verdicts = new(RunAllAsync);

    public static Task<IReadOnlyList<CaseVerdict>> AllAsync() => Verdicts.Value;

    private static async Task<IReadOnlyList<CaseVerdict>> RunAllAsync()
    {
        var cases = ConformanceCase.LoadAll(ConformanceData.CasesDirectory!);
        using var gate = new SemaphoreSlim(2);
        var runs = cases.Select(async c =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                var outcome = await CaseRunner.RunAsync(c).ConfigureAwait(false);
                return new CaseVerdict(c, outcome, OutcomeComparer.Compare(c, outcome));
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(runs).ConfigureAwait(false);
    }

    public static string Line(string label, IEnumerable<CaseVerdict> verdicts)
    {
        var list = verdicts.ToList();
        var agree = list.Count(v => v.Agrees);
        var refused = list.Count(v => v.Outcome.Refused);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: {agree}/{list.Count} agree ({Percent(agree, list.Count)}), {refused} refused");
    }

    public static string Summary(IReadOnlyList<CaseVerdict> verdicts)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Line("conformance", verdicts));
        sb.AppendLine(Line("conformance JSONPath", verdicts.Where(v => v.Case.IsJsonPath)));
        foreach (var group in verdicts.GroupBy(v => v.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            sb.AppendLine(Line("  " + group.Key, group));
        }

        return sb.ToString();
    }

    private static string Percent(int part, int whole) =>
        whole == 0 ? "n/a" : (100.0 * part / whole).ToString("0.0", CultureInfo.InvariantCulture) + "%";
}
