using System.Text;

namespace Workflows.Conformance.Tests;

/// <summary>
/// known-disagreements.txt: one case file per line, then its reason; '#' starts a comment. The list must stay
/// true both ways: a disagreement not listed fails, and so does a listed case that now agrees.
/// </summary>
public static class KnownDisagreements
{
    public const string FileName = "known-disagreements.txt";

    /// <summary>Set to 1 to rewrite the list in the source tree from the current run (reasons kept where listed).</summary>
    public const string UpdateVariable = "WORKFLOWS_CONFORMANCE_UPDATE_KNOWN";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Listed = new(Read);

    public static IReadOnlyDictionary<string, string> All => Listed.Value;

    private static Dictionary<string, string> Read()
    {
        var path = Path.Combine(AppContext.BaseDirectory, FileName);
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.Exists(path) ? File.ReadAllLines(path) : [])
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            entries[space < 0 ? line : line[..space]] = space < 0 ? "" : line[space..].Trim();
        }

        return entries;
    }

    /// <summary>A refusal by the feature refused (the first problem decides); any other disagreement by its diff.</summary>
    private static string Reason(CaseVerdict v)
    {
        var refusal = v.Outcome.Refusal;
        if (refusal is null)
        {
            return v.Difference!;
        }

        if (refusal.Contains("JSONata", StringComparison.Ordinal))
        {
            return "refused: JSONata (not implemented here)";
        }

        if (refusal.Contains("Distributed Map", StringComparison.Ordinal) || refusal.Contains("DISTRIBUTED", StringComparison.Ordinal))
        {
            return "refused: Distributed Map";
        }

        return refusal.Contains("'Assign'", StringComparison.Ordinal) ? "refused: Assign (workflow variables)" : v.Difference!;
    }

    /// <summary>Writes the current disagreements to the committed list (only when asked to, by the variable).</summary>
    public static void UpdateIfAsked(IReadOnlyList<CaseVerdict> verdicts)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) != "1" || ConformanceData.RepositoryRoot is null)
        {
            return;
        }

        var sb = new StringBuilder();
        sb.AppendLine("# Cases of ../shared/conformance/aws-recorded-sfn/cases where the engine disagrees with AWS, and why.");
        sb.AppendLine("# The conformance tests fail on a disagreement not listed here and on a listed case that now agrees.");
        sb.AppendLine($"# Regenerate with {UpdateVariable}=1 (reasons of cases already listed are kept).");
        foreach (var v in verdicts.Where(v => !v.Agrees).OrderBy(v => v.Case.File, StringComparer.Ordinal))
        {
            var reason = All.TryGetValue(v.Case.File, out var r) && r.Length > 0 ? r : Reason(v);
            sb.Append(v.Case.File).Append("  ").AppendLine(reason);
        }

        File.WriteAllText(Path.Combine(ConformanceData.RepositoryRoot, "tests", "Workflows.Conformance.Tests", FileName), sb.ToString());
    }
}
