using System.Text.Json.Nodes;
using System.Xml.Linq;
using Workflows.WebConsole.Graph;
using Workflows.WebConsole.Tests.Support;

namespace Workflows.WebConsole.Tests;

/// <summary>The graph drawn from the project's real machines: every state once, every transition, sane geometry.</summary>
public sealed class GraphLayoutTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Machines_TheProjectHasItsThreeDefinitions()
    {
        Repo.MachineFiles.Select(Path.GetFileName).Should().BeEquivalentTo(["provision.asl.json", "teardown.asl.json", "update.asl.json"]);
    }

    [Theory]
    [MemberData(nameof(Repo.Machines), MemberType = typeof(Repo))]
    public void Render_RealMachine_EveryStateExactlyOnceWithItsType(string file)
    {
        var expected = ExpectedStates(Repo.Machine(file));
        var svg = Render(file);

        var drawn = svg.Descendants(Svg + "g").Where(g => Classes(g).Contains("state")).ToList();

        drawn.Select(g => (string)g.Attribute("data-state")!).Should().OnlyHaveUniqueItems().And.BeEquivalentTo(expected.Keys);
        foreach (var g in drawn)
        {
            var name = (string)g.Attribute("data-state")!;
            ((string)g.Attribute("data-type")!).Should().Be(expected[name].Type, name);
            g.Element(Svg + "title")!.Value.Should().Contain(name).And.Contain(expected[name].Type);
            if (expected[name].Parent is { } parent)
            {
                g.Ancestors(Svg + "g").Should().Contain(a => Classes(a).Contains("group") && (string?)a.Attribute("data-state") == parent, $"{name} is inside {parent}");
            }
            else
            {
                g.Ancestors(Svg + "g").Should().NotContain(a => Classes(a).Contains("group") && (string?)a.Attribute("data-state") != name, $"{name} is top level");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Repo.Machines), MemberType = typeof(Repo))]
    public void Render_RealMachine_EveryNextChoiceDefaultAndCatchEdgePresent(string file)
    {
        var expected = ExpectedEdges(Repo.Machine(file));
        var svg = Render(file);

        var drawn = svg.Descendants(Svg + "path").Where(p => Classes(p).Contains("edge"))
            .Select(p => ((string)p.Attribute("data-from")!, (string)p.Attribute("data-to")!, (string)p.Attribute("data-kind")!)).ToList();

        expected.Should().NotBeEmpty();
        drawn.Should().BeEquivalentTo(expected);
        expected.Select(e => e.Kind).Should().Contain("catch").And.Contain("choice").And.Contain("default").And.Contain("next");
    }

    [Theory]
    [MemberData(nameof(Repo.Machines), MemberType = typeof(Repo))]
    public void Compute_RealMachine_ChildrenInsideTheirGroupAndNoOverlapInAScope(string file)
    {
        var graph = AslGraph.Parse(Repo.Machine(file));
        var layout = GraphLayout.Compute(graph);

        foreach (var state in graph.States)
        {
            var box = layout.Boxes[state.Name];
            box.X.Should().BeGreaterThanOrEqualTo(0);
            box.Right.Should().BeLessThanOrEqualTo(layout.Width);
            box.Bottom.Should().BeLessThanOrEqualTo(layout.Height);
            if (state.Parent is { } parent)
            {
                var outer = layout.Boxes[parent];
                (box.X > outer.X && box.Right < outer.Right && box.Y > outer.Y && box.Bottom < outer.Bottom).Should().BeTrue($"{state.Name} is drawn inside {parent}");
            }
        }

        foreach (var scope in graph.Scopes)
        {
            var boxes = scope.States.Select(n => layout.Boxes[n]).ToList();
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    var overlap = a.X < b.Right && b.X < a.Right && a.Y < b.Bottom && b.Y < a.Bottom;
                    overlap.Should().BeFalse($"{a.Name} and {b.Name} overlap");
                }
            }
        }
    }

    [Fact]
    public void Compute_Chain_RowsByDistanceFromStartAt()
    {
        var graph = AslGraph.Parse("""
            {"StartAt":"A","States":{
              "C":{"Type":"Succeed"},
              "A":{"Type":"Choice","Choices":[{"Variable":"$.x","BooleanEquals":true,"Next":"B"}],"Default":"C"},
              "B":{"Type":"Pass","Next":"C"},
              "Orphan":{"Type":"Pass","End":true}}}
            """);

        var layout = GraphLayout.Compute(graph);

        layout.Boxes["A"].Row.Should().Be(0);
        layout.Boxes["B"].Row.Should().Be(1);
        layout.Boxes["C"].Row.Should().Be(1, "A reaches C directly through its Default");
        layout.Boxes["Orphan"].Row.Should().Be(2, "a state nothing reaches comes after the reachable ones");
        graph.Edges.Should().ContainSingle(e => e.Kind == "choice" && e.Label == "$.x BooleanEquals true");
    }

    [Fact]
    public void Parse_Parallel_BranchesAreScopesOfTheirOwn()
    {
        var graph = AslGraph.Parse("""
            {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"L","States":{"L":{"Type":"Pass","End":true}}},
              {"StartAt":"R","States":{"R":{"Type":"Wait","Seconds":1,"End":true}}}]}}}
            """);
        var layout = GraphLayout.Compute(graph);

        graph.Scopes.Should().HaveCount(3);
        graph.State("R")!.Parent.Should().Be("P");
        graph.State("R")!.Branch.Should().Be(1);
        layout.Boxes["L"].Right.Should().BeLessThan(layout.Boxes["R"].X, "branches are side by side");
    }

    [Fact]
    public void Parse_NotJson_FormatException()
    {
        var parse = () => AslGraph.Parse("{\"StartAt\":");

        parse.Should().Throw<FormatException>().WithMessage("*not JSON*");
    }

    [Fact]
    public void Render_NameWithMarkup_Encoded()
    {
        var graph = AslGraph.Parse("""{"StartAt":"<b>x</b>","States":{"<b>x</b>":{"Type":"Pass","End":true}}}""");

        var svg = GraphSvg.Render(GraphLayout.Compute(graph), "<script>m</script>");

        svg.Should().NotContain("<b>").And.NotContain("<script>").And.Contain("&lt;b&gt;x&lt;/b&gt;");
        XDocument.Parse(svg).Root!.Attribute("id")!.Value.Should().Be("graph");
    }

    private static XElement Render(string file) =>
        XDocument.Parse(GraphSvg.Render(GraphLayout.Compute(AslGraph.Parse(Repo.Machine(file))), file)).Root!;

    private static string[] Classes(XElement e) => ((string?)e.Attribute("class") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    // The test's own walk of the ASL, independent of AslGraph.
    private static Dictionary<string, (string Type, string? Parent)> ExpectedStates(string json)
    {
        var result = new Dictionary<string, (string, string?)>();
        void Walk(JsonObject body, string? parent)
        {
            foreach (var (name, node) in body["States"]!.AsObject())
            {
                var type = node!["Type"]!.GetValue<string>();
                result.Add(name, (type, parent));
                if ((node["ItemProcessor"] ?? node["Iterator"]) is { } processor)
                {
                    Walk(processor.AsObject(), name);
                }

                foreach (var branch in node["Branches"]?.AsArray() ?? [])
                {
                    Walk(branch!.AsObject(), name);
                }
            }
        }

        Walk(JsonNode.Parse(json)!.AsObject(), null);
        return result;
    }

    private static List<(string From, string To, string Kind)> ExpectedEdges(string json)
    {
        var result = new List<(string, string, string)>();
        void Walk(JsonObject body)
        {
            foreach (var (name, node) in body["States"]!.AsObject())
            {
                if (node!["Next"] is { } next)
                {
                    result.Add((name, next.GetValue<string>(), "next"));
                }

                foreach (var choice in node["Choices"]?.AsArray() ?? [])
                {
                    result.Add((name, choice!["Next"]!.GetValue<string>(), "choice"));
                }

                if (node["Default"] is { } fallback)
                {
                    result.Add((name, fallback.GetValue<string>(), "default"));
                }

                foreach (var c in node["Catch"]?.AsArray() ?? [])
                {
                    result.Add((name, c!["Next"]!.GetValue<string>(), "catch"));
                }

                if ((node["ItemProcessor"] ?? node["Iterator"]) is { } processor)
                {
                    Walk(processor.AsObject());
                }

                foreach (var branch in node["Branches"]?.AsArray() ?? [])
                {
                    Walk(branch!.AsObject());
                }
            }
        }

        Walk(JsonNode.Parse(json)!.AsObject());
        return result;
    }
}
