using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Workflows.Cli.Tests.Support;
using Xunit;

namespace Workflows.Cli.Tests;

/// <summary>
/// Every `workflows ...` line the READMEs and the --help examples show is one the tool accepts as written: it parses
/// (options that exist, values of the right form), and the repository files it names exist. The Quick start's lines
/// are also run to success, end to end (Workflows.EndToEnd.Tests and the test command's README step).
/// </summary>
public sealed partial class DocumentedCommandsTests
{
    public static TheoryData<string, string> ReadmeCommands()
    {
        var data = new TheoryData<string, string>();
        foreach (var (where, line) in FromReadmes())
        {
            data.Add(where, line);
        }

        return data;
    }

    [Fact]
    public void Readmes_ShowCommands_EveryCommandOfTheToolAmongThem()
    {
        var shown = FromReadmes().Select(c => Words(c.Line).Skip(1).FirstOrDefault()).ToHashSet();

        shown.Should().Contain(["provision", "update", "teardown", "list", "run", "history", "describe", "dsql-local", "serve", "chaos"]);
    }

    [Theory]
    [MemberData(nameof(ReadmeCommands))]
    public void Readme_Command_ParsesAsWritten(string where, string line) => AssertAccepted(where, line);

    [Theory]
    [InlineData("")]
    [InlineData("provision")]
    [InlineData("update")]
    [InlineData("teardown")]
    [InlineData("run")]
    [InlineData("history")]
    [InlineData("describe")]
    [InlineData("list")]
    [InlineData("serve")]
    [InlineData("chaos")]
    public async Task HelpExample_EveryLine_ParsesAsWritten(string command)
    {
        using var cli = new CliRun();
        var help = command.Length == 0 ? await cli.RunAsync("--help") : await cli.RunAsync(command, "--help");
        var examples = help.Out[(help.Out.IndexOf("Examples:", StringComparison.Ordinal) + 1)..]
            .Split('\n').Select(l => StripComment(l.Trim())).Where(l => l.StartsWith("workflows ", StringComparison.Ordinal)).ToList();

        examples.Should().NotBeEmpty(help.ToString());
        foreach (var line in examples)
        {
            AssertAccepted($"workflows {command} --help", line);
        }
    }

    [Fact]
    public void DsqlLocalExamples_EveryLine_ParsesAsWritten()
    {
        // 'workflows dsql-local --help' is the emulator's own usage; these examples show in 'workflows --help' trees.
        var examples = Commands.DsqlLocalCommand.Examples.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();

        examples.Should().NotBeEmpty();
        examples.ForEach(line => AssertAccepted("DsqlLocalCommand.Examples", line));
    }

    [Theory]
    [InlineData("workflows provison", "provison")]
    [InlineData("workflows teardown --primry us-east-1:abc", "--primry")]
    [InlineData("workflows dsql-local --prot 8787", "--prot")]
    public void AssertAccepted_MistypedLine_Fails(string line, string named)
    {
        var act = () => AssertAccepted("a test", line);

        act.Should().Throw<Exception>().WithMessage($"*{named}*");
    }

    private static void AssertAccepted(string where, string line)
    {
        var words = Words(line).ToArray();
        words[0].Should().Be("workflows");
        var args = words[1..].Select(Placeholder).ToArray();
        foreach (var path in args.Where(IsRepositoryPath))
        {
            File.Exists(Path.Combine(RepositoryRoot, path)).Should().BeTrue($"{where}: '{line}' names {path}, which must exist");
        }

        if (args.Length > 0 && args[0] == "dsql-local")
        {
            var parse = () => global::DsqlLocal.Cli.CommandLine.Parse(args[1..])?.Validate();
            parse.Should().NotThrow($"{where}: '{line}'");
            return;
        }

        using var output = new StringWriter();
        var root = Commands.WorkflowsRootCommand.Create(new CliContext(output, output, new CliHost()));
        // As Program parses: '@path' is the tool's own file syntax, not a response file.
        var result = root.Parse(args, new System.CommandLine.ParserConfiguration { ResponseFileTokenReplacer = null });
        result.Errors.Should().BeEmpty($"{where}: '{line}' must parse as written ({string.Join("; ", result.Errors.Select(e => e.Message))})");
    }

    // <id>, <arn> and friends stand for the user's own values; a well-formed one of each kind parses.
    private static string Placeholder(string word) => word
        .Replace("<id>", "abcdefghijklmnopqrstuvwxyz", StringComparison.Ordinal)
        .Replace("<identifier>", "abcdefghijklmnopqrstuvwxyz", StringComparison.Ordinal);

    private static bool IsRepositoryPath(string word) =>
        !word.StartsWith('@') && word.EndsWith(".json", StringComparison.Ordinal)
        && (word.StartsWith("statemachines/", StringComparison.Ordinal) || word.StartsWith("tests/", StringComparison.Ordinal) || word.StartsWith("events/", StringComparison.Ordinal));

    private static IEnumerable<(string Where, string Line)> FromReadmes()
    {
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot, "*.md", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(d => d is "node_modules" or "bin" or "obj" or ".git" or "artifacts"))
            .Order(StringComparer.Ordinal))
        {
            var inShell = false;
            var pending = new StringBuilder();
            var number = 0;
            foreach (var raw in File.ReadLines(file))
            {
                number++;
                var text = raw.TrimEnd();
                if (text.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inShell = !inShell && text.TrimStart() is "```bash" or "```sh" or "```shell";
                    continue;
                }

                if (!inShell)
                {
                    continue;
                }

                if (pending.Length > 0 || text.StartsWith("workflows ", StringComparison.Ordinal))
                {
                    var continued = text.EndsWith('\\');
                    pending.Append(continued ? text[..^1] : text).Append(' ');
                    if (!continued)
                    {
                        yield return ($"{Path.GetRelativePath(RepositoryRoot, file)}:{number}", StripComment(pending.ToString().Trim()));
                        pending.Clear();
                    }
                }
            }
        }
    }

    // A shell comment after the command ("workflows x   # why"), and a trailing '&' or '| jq ...'.
    private static string StripComment(string line)
    {
        var cut = ShellTail().Match(line);
        return cut.Success ? line[..cut.Index].TrimEnd() : line;
    }

    /// <summary>Shell words: whitespace-separated, with '...' and "..." quoting.</summary>
    private static IEnumerable<string> Words(string line)
    {
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in line)
        {
            if (quote is { } q)
            {
                if (c == q)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    yield return word.ToString();
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (inWord)
        {
            yield return word.ToString();
        }
    }

    private static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
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

    [GeneratedRegex(@"\s+(#|&\s*$|\|)")]
    private static partial Regex ShellTail();
}

/// <summary>The exit-code table of the CLI README is the ExitCodes class: one row per code, none missing or extra.</summary>
public sealed class ExitCodeTableTests
{
    [Fact]
    public void CliReadme_ExitCodeTable_ListsExactlyTheToolsCodes()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Workflows.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var readme = File.ReadAllText(Path.Combine(root, "local", "Workflows.Cli", "README.md"));
        var table = readme[readme.IndexOf("## Exit codes", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = Regex.Matches(table, @"^\| `(\d+)` \|", RegexOptions.Multiline).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        var codes = typeof(ExitCodes).GetFields().Where(f => f.IsLiteral).Select(f => (int)f.GetRawConstantValue()!);

        documented.Should().BeEquivalentTo(codes);
    }
}

/// <summary>functions/CHANGING-A-STEP.md names real files: every repository path it shows in backticks exists.</summary>
public sealed class ChangingAStepPageTests
{
    [Fact]
    public void Page_EveryPathItNames_Exists()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Workflows.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var page = File.ReadAllText(Path.Combine(root, "functions", "CHANGING-A-STEP.md"));
        var paths = Regex.Matches(page, @"`((?:functions|statemachines|events|tests|local)/[^`\s]+)`").Select(m => m.Groups[1].Value).Distinct().ToList();

        paths.Should().HaveCountGreaterThan(10);
        paths.Should().OnlyContain(p => File.Exists(Path.Combine(root, p)) || Directory.Exists(Path.Combine(root, p)), "every path the page names exists");
        page.Should().Contain("template.yaml");
    }
}
