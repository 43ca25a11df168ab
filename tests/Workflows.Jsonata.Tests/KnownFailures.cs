using System.Text;

namespace Workflows.Jsonata.Tests;

/// <summary>
/// known-failures.txt: one suite case id per line, then why it fails; '#' starts a comment. The list must stay true
/// both ways: a failure not listed fails the test, and so does a listed case that now passes (shrink the list).
/// </summary>
internal static class KnownFailures
{
    public const string FileName = "known-failures.txt";

    /// <summary>Set to 1 to rewrite the list in the source tree from the current run.</summary>
    public const string UpdateVariable = "WORKFLOWS_JSONATA_UPDATE_KNOWN";

    public static Dictionary<string, string> Read()
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

    public static void UpdateIfAsked(IEnumerable<(string Id, string Detail)> failures)
    {
        if (Environment.GetEnvironmentVariable(UpdateVariable) != "1" || SuiteData.RepositoryRoot is null)
        {
            return;
        }

        var sb = new StringBuilder();
        sb.AppendLine("# Cases of ../shared/conformance/jsonata-suite that Workflows.Jsonata does not pass yet, and how they fail.");
        sb.AppendLine("# The suite test fails on a failure not listed here and on a listed case that now passes.");
        sb.AppendLine($"# Regenerate with {UpdateVariable}=1 dotnet test tests/Workflows.Jsonata.Tests");
        foreach (var (id, detail) in failures.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            var d = detail.Replace('\n', ' ').Replace('\r', ' ');
            sb.Append(id).Append("  ").AppendLine(d.Length > 160 ? d[..160] + "..." : d);
        }

        File.WriteAllText(Path.Combine(SuiteData.RepositoryRoot, "tests", "Workflows.Jsonata.Tests", FileName), sb.ToString());
    }
}
