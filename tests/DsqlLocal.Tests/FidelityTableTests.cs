using System.Reflection;
using System.Text.RegularExpressions;

namespace DsqlLocal.Tests;

/// <summary>
/// The README's fidelity table cannot drift: every row names a source and at least one test, and every test it names
/// exists (in this assembly by reflection; in another test project of the repository by its source).
/// </summary>
public sealed partial class FidelityTableTests
{
    private const string ThisAssembly = "DsqlLocal.Tests";

    internal sealed record Row(int Line, string Behaviour, string Source, string Tests);

    /// <summary>One test reference of a row, resolved against the names before it in the same cell.</summary>
    internal sealed record TestReference(string Assembly, string? Class, string Member, string Written);

    [Fact]
    public void FidelityTable_EveryRow_NamesASourceAndATest()
    {
        var rows = ReadRows();

        rows.Should().HaveCountGreaterThan(40, "the table has a row per behaviour");
        foreach (var row in rows)
        {
            row.Behaviour.Should().NotBeNullOrWhiteSpace($"line {row.Line} names a behaviour");
            Regex.IsMatch(row.Source, @"\b(Model|Doc|FACTS|Inferred)\b").Should().BeTrue(
                $"line {row.Line} ({row.Behaviour}) names its source as Model, Doc, FACTS or Inferred, not '{row.Source}'");
            References(row).Should().NotBeEmpty($"line {row.Line} ({row.Behaviour}) names a test");
        }
    }

    [Fact]
    public void FidelityTable_EveryNamedTest_Exists()
    {
        var missing = new List<string>();
        foreach (var row in ReadRows())
        {
            foreach (var reference in References(row))
            {
                if (!Exists(reference))
                {
                    missing.Add($"line {row.Line} ({row.Behaviour}): `{reference.Written}` (read as {reference.Assembly} {reference.Class}.{reference.Member})");
                }
            }
        }

        missing.Should().BeEmpty("every test the fidelity table names must exist:\n" + string.Join("\n", missing));
    }

    [Theory]
    [InlineData("`A.B_C_D`, `E_F_G`", "DsqlLocal.Tests A.B_C_D|DsqlLocal.Tests A.E_F_G")]
    [InlineData("`Iam.P.Q_R_S`, `T_*`", "DsqlLocal.Tests Iam.P.Q_R_S|DsqlLocal.Tests Iam.P.T_*")]
    [InlineData("`A.B_C_D`, `Workflows.X.Tests K.L_M_N`, `O_P_Q`", "DsqlLocal.Tests A.B_C_D|Workflows.X.Tests K.L_M_N|Workflows.X.Tests K.O_P_Q")]
    [InlineData("`SignatureTests.*`", "DsqlLocal.Tests SignatureTests.*")]
    public void References_CellWithShortForms_ResolvesClassAndAssemblyFromTheNamesBefore(string cell, string expected)
    {
        var references = References(new Row(1, "b", "Model", cell));

        string.Join("|", references.Select(r => $"{r.Assembly} {r.Class}.{r.Member}")).Should().Be(expected);
    }

    [Fact]
    public void Exists_MethodThatIsNotThere_IsReportedMissing()
    {
        Exists(new TestReference(ThisAssembly, nameof(FidelityTableTests), "NoSuchMethod_Ever_Exists", "x")).Should().BeFalse();
        Exists(new TestReference(ThisAssembly, nameof(FidelityTableTests), nameof(FidelityTable_EveryNamedTest_Exists), "x")).Should().BeTrue();
        Exists(new TestReference("Workflows.EndToEnd.Tests", "IamEnforcedTests", "NoSuchMethod_Ever_Exists", "x")).Should().BeFalse();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflows.sln not found above " + AppContext.BaseDirectory);
    }

    internal static List<Row> ReadRows()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "local", "DsqlLocal", "README.md"));
        var start = Array.FindIndex(lines, l => l.Trim() == "## Fidelity");
        start.Should().BePositive("the README has a Fidelity section");
        var rows = new List<Row>();
        for (var i = start + 1; i < lines.Length && !lines[i].StartsWith("## ", StringComparison.Ordinal); i++)
        {
            var line = lines[i].Trim();
            if (!line.StartsWith('|') || line.StartsWith("|---", StringComparison.Ordinal) || line.StartsWith("| Behaviour |", StringComparison.Ordinal))
            {
                continue;
            }

            var cells = UnescapedPipe().Split(line.Trim('|')).Select(c => c.Trim()).ToArray();
            cells.Should().HaveCount(4, $"line {i + 1} has the four columns Behaviour | Emulation | Source | Test");
            rows.Add(new Row(i + 1, cells[0], cells[2], cells[3]));
        }

        return rows;
    }

    internal static List<TestReference> References(Row row)
    {
        var list = new List<TestReference>();
        var assembly = ThisAssembly;
        string? cls = null;
        foreach (Match code in Backticked().Matches(row.Tests))
        {
            var text = code.Groups[1].Value.Trim();
            var name = text;
            if (text.IndexOf(' ', StringComparison.Ordinal) is var space and > 0 && text[..space].EndsWith(".Tests", StringComparison.Ordinal))
            {
                assembly = text[..space];
                cls = null;
                name = text[(space + 1)..].Trim();
            }

            if (name.Contains('/', StringComparison.Ordinal))
            {
                list.Add(new TestReference("path", null, name, text));
                continue;
            }

            var dot = name.LastIndexOf('.');
            if (dot > 0)
            {
                cls = name[..dot];
                name = name[(dot + 1)..];
            }

            list.Add(new TestReference(assembly, cls, name, text));
        }

        return list;
    }

    internal static bool Exists(TestReference reference)
    {
        if (reference.Assembly == "path")
        {
            var path = Path.Combine(RepositoryRoot(), reference.Member);
            return File.Exists(path) || Directory.Exists(path);
        }

        if (reference.Class is null)
        {
            return false;
        }

        var names = reference.Assembly == ThisAssembly ? TestsHere(reference.Class) : TestsInSource(reference.Assembly, reference.Class);
        return reference.Member == "*" ? names.Count > 0
            : reference.Member.EndsWith('*') ? names.Any(n => n.StartsWith(reference.Member[..^1], StringComparison.Ordinal))
            : names.Contains(reference.Member);
    }

    /// <summary>The [Fact]/[Theory] methods of a class of this assembly, named by its name or its namespace-qualified tail.</summary>
    private static HashSet<string> TestsHere(string cls)
    {
        var types = typeof(FidelityTableTests).Assembly.GetTypes()
            .Where(t => t.Name == cls || (t.FullName is { } full && full.EndsWith("." + cls, StringComparison.Ordinal)));
        return types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttributes().Any(a => a is FactAttribute))
            .Select(m => m.Name)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Another test project is not referenced here: its test methods are read from the source of the class.</summary>
    private static HashSet<string> TestsInSource(string assembly, string cls)
    {
        var directory = Path.Combine(RepositoryRoot(), "tests", assembly);
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (!Directory.Exists(directory))
        {
            return names;
        }

        var simple = cls[(cls.LastIndexOf('.') + 1)..];
        foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            if (!Regex.IsMatch(text, $@"\bclass {Regex.Escape(simple)}\b"))
            {
                continue;
            }

            foreach (Match method in TestMethod().Matches(text))
            {
                names.Add(method.Groups[1].Value);
            }
        }

        return names;
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedPipe();

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Backticked();

    // Test methods are public, return Task or void (the repository's convention); helpers of that shape count too.
    [GeneratedRegex(@"\bpublic\s+(?:async\s+)?(?:Task|void)\s+(\w+)\s*\(")]
    private static partial Regex TestMethod();
}
