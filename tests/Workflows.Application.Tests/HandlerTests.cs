using Workflows.Application.Tests.Support;

namespace Workflows.Application.Tests;

/// <summary>Every Handler in template.yaml names a valid Lambda stream handler in its function's built assembly.</summary>
public class HandlerTests
{
    public static TheoryData<string> Steps => new(Repository.Steps);

    private static readonly System.Text.Json.Nodes.JsonObject Template = CloudFormationYaml.Load(Repository.TemplatePath);

    [Theory]
    [MemberData(nameof(Steps))]
    public void Handler_ResolvesToAPublicStreamHandler(string step)
    {
        var properties = Template["Resources"]![step + "Function"]!["Properties"]!;
        var handler = properties["Handler"]!.GetValue<string>();

        LambdaHandlerCheck.Problems(handler, OutputOf(properties["CodeUri"]!.GetValue<string>())).Should().BeEmpty();
    }

    [Theory]
    [InlineData("DeleteCluster::DeleteCluster.Function::Handle", "exactly one public method Handle")]
    [InlineData("DeleteCluster::DeleteCluster.Handler::FunctionHandler", "no type DeleteCluster.Handler")]
    [InlineData("Deleter::DeleteCluster.Function::FunctionHandler", "does not exist")]
    [InlineData("DeleteCluster.Function.FunctionHandler", "is not Assembly::Namespace.Type::Method")]
    public void Handler_Unresolvable_IsReported(string handler, string problem)
    {
        LambdaHandlerCheck.Problems(handler, OutputOf("functions/DeleteCluster/")).Should().ContainSingle().Which.Should().Contain(problem);
    }

    private static string OutputOf(string codeUri) => Path.Combine(Repository.Root, codeUri, "bin", Repository.Configuration, "net10.0");
}
