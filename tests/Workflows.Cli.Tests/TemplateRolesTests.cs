using System.Text.Json;
using DsqlLocal.Iam;
using Workflows.Cli.Pairs;
using Workflows.Templates;

namespace Workflows.Cli.Tests;

/// <summary>template.yaml's Policies turned into the documents each role gets, as SAM's transform would.</summary>
public sealed class TemplateRolesTests
{
    private static readonly PolicyTemplates Sam = PolicyTemplates.Parse("""
        {"Version":"0.0.1","Templates":{
          "LambdaInvokePolicy":{"Definition":{"Statement":[{"Effect":"Allow","Action":["lambda:InvokeFunction"],
            "Resource":{"Fn::Sub":["arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*",{"functionName":{"Ref":"FunctionName"}}]}}]},
            "Parameters":{"FunctionName":{}}},
          "CloudWatchPutMetricPolicy":{"Definition":{"Statement":[{"Effect":"Allow","Action":["cloudwatch:PutMetricData"],"Resource":"*"}]},"Parameters":{}}}}
        """);

    private static IReadOnlyDictionary<string, TemplateRole> Read(string resources, PolicyTemplates? templates = null) =>
        TemplateRoles.Read(SamTemplate.Parse($"""
            Parameters:
              Prefix:
                Type: String
                Default: team-a
            Resources:
            {resources}
            """), "eu-west-1", "111122223333", templates ?? Sam);

    private static JsonElement Statement(TemplateRole role, int policy = 0) =>
        JsonDocument.Parse(role.Policies[policy]).RootElement.GetProperty("Statement")[0];

    [Fact]
    public void Read_ProjectTemplate_EveryFunctionHasARoleAndTheSubsAreResolved()
    {
        var roles = TemplateRoles.Read(SamTemplate.Load(PairRunner.TemplatePath), "us-east-1", PairRunner.Account, File.Exists(FunctionRoles.PolicyTemplatesPath) ? PolicyTemplates.Load(FunctionRoles.PolicyTemplatesPath) : null);

        var create = roles["CreatePrimaryClusterFunction"];
        TemplateRoles.AllowedActions(create).Should().BeEquivalentTo("dsql:CreateCluster", "dsql:TagResource", "dsql:PutMultiRegionProperties", "dsql:PutWitnessRegion", "dsql:GetCluster");
        Statement(create).GetProperty("Resource").GetString().Should().Be("arn:aws:dsql:*:123456789012:cluster/*");
        roles["ValidateProvisionRequestFunction"].Policies.Should().BeEmpty("a function without Policies gets a role with none");
        foreach (var role in roles.Values)
        {
            foreach (var document in role.Policies)
            {
                var parse = () => IamPolicy.Parse(document);
                parse.Should().NotThrow($"{role.LogicalId}'s expanded policy must be a valid identity-based policy: {document}");
            }
        }
    }

    [SkippableFact]
    public void Read_ProjectTemplate_StateMachinePolicyTemplatesExpandWithTheirParameters()
    {
        Skip.IfNot(
            File.Exists(FunctionRoles.PolicyTemplatesPath),
            $"SAM's policy_templates.json was not built next to the tool ({FunctionRoles.PolicyTemplatesPath}); it comes from <repo root>/../shared/reference/sam, which is absent here.");

        var roles = TemplateRoles.Read(SamTemplate.Load(PairRunner.TemplatePath), "us-east-1", PairRunner.Account, PolicyTemplates.Load(FunctionRoles.PolicyTemplatesPath));

        var resources = roles["ProvisionStateMachine"].Policies
            .Select(p => JsonDocument.Parse(p).RootElement.GetProperty("Statement"))
            .SelectMany(s => s.EnumerateArray())
            .Where(s => s.GetProperty("Action") is var a && (a.ValueKind == JsonValueKind.Array ? a.EnumerateArray().Any(x => x.GetString() == "lambda:InvokeFunction") : a.GetString() == "lambda:InvokeFunction"))
            .Select(s => s.GetProperty("Resource").GetString())
            .ToList();
        resources.Should().Contain("arn:aws:lambda:us-east-1:123456789012:function:CreatePeerClusterFunction*");
    }

    [Fact]
    public void Read_InlineStatementsWithSubAndRef_ResolvedAndVersioned()
    {
        var roles = Read("""
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  Policies:
                    - Statement:
                        - Effect: Allow
                          Action: dsql:GetCluster
                          Resource: !Sub 'arn:${AWS::Partition}:dsql:${AWS::Region}:${AWS::AccountId}:cluster/*'
                          Condition:
                            StringEquals:
                              'aws:ResourceTag/team': !Ref Prefix
            """);

        var document = JsonDocument.Parse(roles["Fn"].Policies.Single()).RootElement;
        document.GetProperty("Version").GetString().Should().Be("2012-10-17");
        var statement = document.GetProperty("Statement")[0];
        statement.GetProperty("Resource").GetString().Should().Be("arn:aws:dsql:eu-west-1:111122223333:cluster/*");
        statement.GetProperty("Condition").GetProperty("StringEquals").GetProperty("aws:ResourceTag/team").GetString().Should().Be("team-a");
    }

    [Fact]
    public void Read_SamPolicyTemplate_ExpandedWithItsParameterAndPseudoParameters()
    {
        var roles = Read("""
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  Policies:
                    - LambdaInvokePolicy:
                        FunctionName: !Sub '${Prefix}-worker'
                    - CloudWatchPutMetricPolicy: {}
            """);

        var policies = roles["Fn"].Policies;
        policies.Should().HaveCount(2);
        Statement(roles["Fn"]).GetProperty("Resource").GetString().Should().Be("arn:aws:lambda:eu-west-1:111122223333:function:team-a-worker*");
        TemplateRoles.AllowedActions(roles["Fn"]).Should().BeEquivalentTo("lambda:InvokeFunction", "cloudwatch:PutMetricData");
    }

    [Theory]
    [InlineData("- AWSLambdaBasicExecutionRole", "'AWSLambdaBasicExecutionRole' is a managed policy")]
    [InlineData("- NoSuchPolicy: {}", "'NoSuchPolicy' is not a SAM policy template")]
    [InlineData("- LambdaInvokePolicy: {}", "LambdaInvokePolicy needs its parameter 'FunctionName'")]
    [InlineData("- LambdaInvokePolicy: {FunctionName: a, Extra: b}", "LambdaInvokePolicy has no parameter 'Extra'")]
    public void Read_PolicyThatCannotBeExpanded_NamesTheResourceAndTheEntry(string entry, string expected)
    {
        var read = () => Read($"""
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  Policies:
                    {entry}
            """);

        read.Should().Throw<FormatException>().WithMessage($"template: Fn.Policies[0]: *{expected}*");
    }

    [Fact]
    public void Read_PolicyTemplateWithoutTheTemplatesFile_SaysSo()
    {
        var read = () => TemplateRoles.Read(SamTemplate.Parse("""
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: bootstrap
                  Policies:
                    - CloudWatchPutMetricPolicy: {}
            """), "us-east-1", "123456789012", null);

        read.Should().Throw<FormatException>().WithMessage("*'CloudWatchPutMetricPolicy' is a SAM policy template and no policy_templates.json was given*");
    }

    [Fact]
    public void FunctionRoles_Build_GivesEachFunctionItsOwnKeyAndRoleSession()
    {
        var principals = FunctionRoles.Build(PairRunner.TemplatePath, "us-east-1", PairRunner.Account, []);

        principals.Values.Select(p => p.AccessKeyId).Should().OnlyHaveUniqueItems();
        principals["LinkClustersFunction"].Arn.Should().Be("arn:aws:sts::123456789012:assumed-role/LinkClustersFunctionRole/LinkClustersFunction");
        principals["LinkClustersFunction"].AccessKeyId.Should().MatchRegex("^ASIA[A-Z2-7]{16}$");
    }

    [Fact]
    public void FunctionRoles_Revoke_RemovesOnlyThatActionFromThatRole()
    {
        var principals = FunctionRoles.Build(PairRunner.TemplatePath, "us-east-1", PairRunner.Account, [new RoleRevocation("LinkClustersFunction", "dsql:AddPeerCluster")]);

        var link = principals["LinkClustersFunction"].Policies.Select(IamPolicy.Parse).ToList();
        PolicyEvaluator.Evaluate(link, new IamRequest("dsql:AddPeerCluster", "arn:aws:dsql:us-east-1:123456789012:cluster/x")).Should().Be(IamDecision.ImplicitDeny);
        PolicyEvaluator.Evaluate(link, new IamRequest("dsql:PutWitnessRegion", "arn:aws:dsql:us-east-1:123456789012:cluster/x")).Should().Be(IamDecision.Allow);
        var peer = principals["CreatePeerClusterFunction"].Policies.Select(IamPolicy.Parse).ToList();
        PolicyEvaluator.Evaluate(peer, new IamRequest("dsql:AddPeerCluster", "arn:aws:dsql:us-east-1:123456789012:cluster/x")).Should().Be(IamDecision.Allow);
    }
}
