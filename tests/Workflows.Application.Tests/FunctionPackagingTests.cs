using System.Text.RegularExpressions;
using Workflows.Application.Tests.Support;
using Workflows.Core.Steps;

namespace Workflows.Application.Tests;

/// <summary>
/// What `sam build` and Lambda need from each function: a Makefile target for its logical id, a project that builds an
/// executable named bootstrap, and an entry point that runs the step its folder is named for. (That the artifacts
/// really start is proven through the Runtime API by tests/lambda-artifacts.)
/// </summary>
public sealed partial class FunctionPackagingTests
{
    public static TheoryData<string> Steps => new(Repository.Steps);

    private static readonly string Makefile = File.ReadAllText(Path.Combine(Repository.Root, "functions", "Makefile"));

    [GeneratedRegex(@"LambdaBootstrap\.RunAsync\(StepCatalog\.(?<step>\w+)\)")]
    private static partial Regex EntryPoint();

    [Theory]
    [MemberData(nameof(Steps))]
    public void Program_RunsTheStepItsFolderIsNamedFor(string step)
    {
        var program = File.ReadAllText(Path.Combine(Repository.Root, "functions", step, "Program.cs"));

        EntryPoint().Matches(program).Select(m => m.Groups["step"].Value).Should().Equal(step);
        StepCatalog.Find(step).Should().NotBeNull();
        StepCatalog.ForCodeUri($"functions/{step}/")!.Name.Should().Be(step);
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Makefile_ListsTheStep(string step)
    {
        Regex.Match(Makefile, @"^STEPS := (?<list>(?:[^\n]*\\\n)*[^\n]*)", RegexOptions.Multiline).Groups["list"].Value
            .Split([' ', '\\', '\n'], StringSplitOptions.RemoveEmptyEntries).Should().Contain(step);
    }

    [Fact]
    public void StepCatalog_HasExactlyTheTemplatesFunctions()
    {
        StepCatalog.All.Select(s => s.Name).Should().BeEquivalentTo(Repository.Steps);
    }

    [Fact]
    public void FunctionProjects_BuildAnExecutableNamedBootstrap()
    {
        var props = File.ReadAllText(Path.Combine(Repository.Root, "functions", "Directory.Build.props"));

        props.Should().Contain("<OutputType>Exe</OutputType>").And.Contain("<AssemblyName>bootstrap</AssemblyName>")
            .And.Contain("<InvariantGlobalization>true</InvariantGlobalization>");
    }
}
