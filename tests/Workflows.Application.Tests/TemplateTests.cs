using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Workflows.Application.Tests.Support;

namespace Workflows.Application.Tests;

/// <summary>template.yaml against the SAM schema, the ASL files, the function projects and the contract.</summary>
public partial class TemplateTests
{
    private static readonly JsonObject Template = CloudFormationYaml.Load(Repository.TemplatePath);

    private static readonly Lazy<JsonSchema> SamSchema = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "sam.schema.json")))!.AsObject();
        // The file declares draft-04, which JsonSchema.Net does not implement. It uses none of the keywords whose
        // meaning changed after draft 4 (id, boolean exclusiveMinimum/Maximum, dependencies), so draft 7 reads it the same.
        schema.Remove("$schema");
        return JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { Dialect = Dialect.Draft07 });
    });

    public static TheoryData<string> Steps => new(Repository.Steps);

    public static TheoryData<string> Machines => new(["provision", "teardown", "update"]);

    private static JsonObject Declared => Template["Resources"]!.AsObject();

    private static JsonObject Properties(string logicalId) => Declared[logicalId]!["Properties"]!.AsObject();

    [Fact]
    public void Template_ValidatesAgainstTheSamSchema()
    {
        var problems = Validate(Template);

        problems.Should().BeEmpty();
    }

    [Fact]
    public void Template_WithAMisspelledFunctionProperty_FailsTheSamSchema()
    {
        var broken = Template.DeepClone().AsObject();
        broken["Resources"]!["DeleteClusterFunction"]!["Properties"]!["Runtim"] = "dotnet10";

        Validate(broken).Should().NotBeEmpty("the schema check must be able to fail");
    }

    [Fact]
    public void Globals_SetRuntimeArchitectureTracingAndJsonLogging()
    {
        var globals = Template["Globals"]!["Function"]!;

        globals["Runtime"]!.GetValue<string>().Should().Be("provided.al2023", "the managed dotnet runtime needs Amazon.Lambda.Core in the package");
        globals["Handler"]!.GetValue<string>().Should().Be("bootstrap");
        globals["Architectures"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("arm64");
        globals["Tracing"]!.GetValue<string>().Should().Be("Active");
        globals["LoggingConfig"]!["LogFormat"]!.GetValue<string>().Should().Be("JSON");
        globals["Environment"]!["Variables"]!["POWERTOOLS_SERVICE_NAME"]!.GetValue<string>().Should().Be("workflows");
        globals["MemorySize"]!.GetValue<long>().Should().BePositive();
        globals["Timeout"]!.GetValue<long>().Should().BePositive();
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Function_FollowsTheNamingContract(string step)
    {
        var function = Declared[step + "Function"];

        function.Should().NotBeNull($"template.yaml declares {step}Function");
        function!["Type"]!.GetValue<string>().Should().Be("AWS::Serverless::Function");
        Properties(step + "Function")["Handler"].Should().BeNull("every function inherits Handler: bootstrap from Globals");
        function["Metadata"]!["BuildMethod"]!.GetValue<string>().Should().Be("makefile");
        function["Metadata"]!["ContextPath"]!.GetValue<string>().Should().Be("functions");
        Properties(step + "Function")["CodeUri"]!.GetValue<string>().Should().Be($"functions/{step}/");
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Function_CodeUriIsAProjectOfThatName(string step)
    {
        var codeUri = Path.Combine(Repository.Root, Properties(step + "Function")["CodeUri"]!.GetValue<string>());

        File.Exists(Path.Combine(codeUri, step + ".csproj")).Should().BeTrue($"{codeUri} holds {step}.csproj");
    }

    [Theory]
    [MemberData(nameof(Steps))]
    public void Function_HasALogGroupWithTheRetentionParameter(string step)
    {
        var logGroup = Declared[step + "FunctionLogGroup"]!;

        logGroup["Type"]!.GetValue<string>().Should().Be("AWS::Logs::LogGroup");
        logGroup["Properties"]!["LogGroupName"]!["Fn::Sub"]!.GetValue<string>().Should().Be($"/aws/lambda/${{{step}Function}}");
        logGroup["Properties"]!["RetentionInDays"]!["Ref"]!.GetValue<string>().Should().Be("LogRetentionDays");
    }

    [Fact]
    public void Functions_AreExactlyTheSteps()
    {
        var functions = Declared.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Serverless::Function").Select(r => r.Key);

        functions.Should().BeEquivalentTo(Repository.Steps.Select(s => s + "Function"));
    }

    [Fact]
    public void IamStatements_HaveNoWildcardActions()
    {
        var statements = Statements(Template).ToList();

        statements.Should().NotBeEmpty();
        foreach (var (owner, statement) in statements)
        {
            statement.ContainsKey("NotAction").Should().BeFalse($"{owner} grants by exclusion");
            Actions(statement).Should().NotContain(a => a.Contains('*'), $"{owner} names every action it grants");
        }
    }

    [Fact]
    public void IamStatements_ClusterMutations_OnlyOnClustersTaggedByTheWorkflows()
    {
        var mutating = Statements(Template).Where(s => Actions(s.Statement).Any(IsMutation)).Select(s => s.Owner).ToList();

        mutating.Should().BeEquivalentTo(["LinkClustersFunction", "SetDeletionProtectionFunction", "DeleteClusterFunction"]);
        UnconditionedMutations(Template).Should().BeEmpty();
    }

    [Fact]
    public void IamCheck_FindsAMutationWithoutTheTagCondition()
    {
        var broken = Template.DeepClone().AsObject();
        broken["Resources"]!["DeleteClusterFunction"]!["Properties"]!["Policies"]![0]!["Statement"]![0]!.AsObject().Remove("Condition");
        var widened = Template.DeepClone().AsObject();
        widened["Resources"]!["DescribeClusterFunction"]!["Properties"]!["Policies"]![0]!["Statement"]![0]!["Action"]!.AsArray().Add("dsql:UpdateCluster");

        UnconditionedMutations(broken).Should().Equal("DeleteClusterFunction");
        UnconditionedMutations(widened).Should().Equal("DescribeClusterFunction");
    }

    [Fact]
    public void IamStatements_TagChanges_OnlyOnClustersTaggedByTheWorkflowsAndNeverTheReservedKeys()
    {
        var tagging = Statements(Template)
            .Where(s => Actions(s.Statement).Any(a => a is "dsql:UntagResource" || (a is "dsql:TagResource" && s.Owner == "UpdateClusterTagsFunction")))
            .ToList();

        var (owner, statement) = tagging.Should().ContainSingle("only UpdateClusterTags changes the tags of an existing cluster").Subject;
        owner.Should().Be("UpdateClusterTagsFunction");
        Actions(statement).Should().BeEquivalentTo(["dsql:TagResource", "dsql:UntagResource"]);
        statement["Condition"]!["Null"]!["aws:ResourceTag/workflows:execution"]!.GetValue<string>().Should().Be("false");
        statement["Condition"]!["ForAllValues:StringNotLike"]!["aws:TagKeys"]!.AsArray().Select(k => k!.GetValue<string>())
            .Should().BeEquivalentTo(["workflows:*", "aws:*"]);
    }

    private static bool IsMutation(string action) => action is "dsql:UpdateCluster" or "dsql:DeleteCluster";

    /// <summary>
    /// Owners of statements that grant UpdateCluster or DeleteCluster without requiring the workflows:execution tag,
    /// or that let other actions share (and so dilute) the conditioned statement.
    /// </summary>
    private static List<string> UnconditionedMutations(JsonObject template) =>
        Statements(template)
            .Where(s => Actions(s.Statement).Any(IsMutation))
            .Where(s => s.Statement["Condition"]?["Null"]?["aws:ResourceTag/workflows:execution"]?.GetValue<string>() != "false"
                || s.Statement["Condition"]!.AsObject().Count != 1
                || !Actions(s.Statement).All(IsMutation))
            .Select(s => s.Owner)
            .ToList();

    [Theory]
    [InlineData("ProvisionStateMachine", "ProvisionRequested")]
    [InlineData("TeardownStateMachine", "TeardownRequested")]
    [InlineData("UpdateStateMachine", "UpdateRequested")]
    public void RequestRule_FailedDeliveries_GoToTheDeadLetterQueueTheQueuePolicyLetsThatRuleWriteTo(string machine, string eventName)
    {
        var rule = Properties(machine)["Events"]![eventName]!["Properties"]!;

        GetAtt(rule["DeadLetterConfig"]!["Arn"]!).Should().Equal("RequestDeadLetterQueue", "Arn");
        rule["RetryPolicy"].Should().NotBeNull();
        var statement = Properties("RequestDeadLetterQueuePolicy")["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
        statement["Principal"]!["Service"]!.GetValue<string>().Should().Be("events.amazonaws.com");
        statement["Action"]!.GetValue<string>().Should().Be("sqs:SendMessage");
        // SAM names the rule it generates for a state machine event <state machine><event>.
        statement["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.AsArray().Select(a => GetAtt(a!)[0]).Should().Contain(machine + eventName);
        Properties("RequestDeadLetterQueuePolicy")["Queues"]!.AsArray().Single()!["Ref"]!.GetValue<string>().Should().Be("RequestDeadLetterQueue");
    }

    [Fact]
    public void RequestDeadLetterAlarm_AnyMessageInTheQueue_Alarms()
    {
        var alarm = Properties("RequestDeadLetterAlarm");

        Declared["RequestDeadLetterAlarm"]!["Type"]!.GetValue<string>().Should().Be("AWS::CloudWatch::Alarm");
        alarm["Namespace"]!.GetValue<string>().Should().Be("AWS/SQS");
        alarm["MetricName"]!.GetValue<string>().Should().Be("ApproximateNumberOfMessagesVisible");
        GetAtt(alarm["Dimensions"]!.AsArray().Single(d => d!["Name"]!.GetValue<string>() == "QueueName")!["Value"]!).Should().Equal("RequestDeadLetterQueue", "QueueName");
        alarm["ComparisonOperator"]!.GetValue<string>().Should().Be("GreaterThanThreshold");
        alarm["Threshold"]!.GetValue<long>().Should().Be(0);
    }

    private static List<string> GetAtt(JsonNode node) => node["Fn::GetAtt"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public void IamCheck_FindsAWildcardAction()
    {
        var broken = Template.DeepClone().AsObject();
        var statement = broken["Resources"]!["DescribeClusterFunction"]!["Properties"]!["Policies"]![0]!["Statement"]![0]!;
        statement["Action"]!.AsArray().Add("dsql:Get*");

        Statements(broken).SelectMany(s => Actions(s.Statement)).Should().Contain(a => a.Contains('*'));
    }

    [Theory]
    [InlineData("ValidateProvisionRequest", new string[0])]
    [InlineData("ValidateTeardownRequest", new string[0])]
    [InlineData("CreatePrimaryCluster", new[] { "dsql:CreateCluster", "dsql:TagResource", "dsql:PutMultiRegionProperties", "dsql:PutWitnessRegion", "dsql:GetCluster" })]
    [InlineData("CreatePeerCluster", new[] { "dsql:CreateCluster", "dsql:TagResource", "dsql:PutMultiRegionProperties", "dsql:PutWitnessRegion", "dsql:AddPeerCluster", "dsql:GetCluster" })]
    [InlineData("LinkClusters", new[] { "dsql:UpdateCluster", "dsql:GetCluster", "dsql:PutMultiRegionProperties", "dsql:PutWitnessRegion", "dsql:AddPeerCluster" })]
    [InlineData("DescribeCluster", new[] { "dsql:GetCluster" })]
    [InlineData("SetDeletionProtection", new[] { "dsql:UpdateCluster", "dsql:GetCluster" })]
    [InlineData("DeleteCluster", new[] { "dsql:DeleteCluster", "dsql:GetCluster" })]
    [InlineData("ConfirmClusterGone", new[] { "dsql:GetCluster" })]
    [InlineData("FindExecutionClusters", new[] { "dsql:ListClusters", "dsql:ListTagsForResource", "dsql:GetCluster" })]
    [InlineData("ValidateUpdateRequest", new string[0])]
    [InlineData("UpdateClusterTags", new[] { "dsql:TagResource", "dsql:UntagResource", "dsql:GetCluster" })]
    public void Function_GetsOnlyTheDsqlActionsItsCallsNeed(string step, string[] expected)
    {
        var statements = Statements(new JsonObject { ["Resources"] = new JsonObject { [step] = Declared[step + "Function"]!.DeepClone() } }).ToList();

        statements.SelectMany(s => Actions(s.Statement)).Should().BeEquivalentTo(expected);
        foreach (var (_, statement) in statements)
        {
            statement["Effect"]!.GetValue<string>().Should().Be("Allow");
            if (Actions(statement).SequenceEqual(["dsql:ListClusters"]))
            {
                // ListClusters has no resource type, so only "*" grants it; nothing else may ride along.
                statement["Resource"]!.GetValue<string>().Should().Be("*");
                continue;
            }

            statement["Resource"]!["Fn::Sub"]!.GetValue<string>().Should().Be("arn:${AWS::Partition}:dsql:*:${AWS::AccountId}:cluster/*");
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void StateMachine_PlaceholdersAndSubstitutionsMatch(string machine)
    {
        var placeholders = Placeholder().Matches(File.ReadAllText(Repository.StateMachine(machine))).Select(m => m.Groups[1].Value).ToHashSet();
        var substitutions = Properties(LogicalId(machine))["DefinitionSubstitutions"]!.AsObject().Select(kv => kv.Key);

        placeholders.Should().BeEquivalentTo(substitutions);
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void StateMachine_SubstitutesFunctionArnsAndTheBus(string machine)
    {
        foreach (var (key, value) in Properties(LogicalId(machine))["DefinitionSubstitutions"]!.AsObject())
        {
            if (key == "EventBusName")
            {
                value!["Ref"]!.GetValue<string>().Should().Be("WorkflowsEventBus");
                continue;
            }

            key.Should().EndWith("FunctionArn");
            var function = key[..^"Arn".Length];
            value!["Fn::GetAtt"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(function, "Arn");
            Declared[function]!["Type"]!.GetValue<string>().Should().Be("AWS::Serverless::Function");
        }
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void StateMachine_MayInvokeExactlyTheFunctionsItUses(string machine)
    {
        var properties = Properties(LogicalId(machine));
        var used = properties["DefinitionSubstitutions"]!.AsObject().Select(kv => kv.Key).Where(k => k.EndsWith("FunctionArn", StringComparison.Ordinal)).Select(k => k[..^"Arn".Length]);
        var policies = properties["Policies"]!.AsArray();

        policies.Select(p => p!["LambdaInvokePolicy"]).OfType<JsonNode>().Select(p => p["FunctionName"]!["Ref"]!.GetValue<string>())
            .Should().BeEquivalentTo(used);
        policies.Select(p => p!["EventBridgePutEventsPolicy"]).OfType<JsonNode>().Should().ContainSingle()
            .Which["EventBusName"]!["Ref"]!.GetValue<string>().Should().Be("WorkflowsEventBus");
    }

    [Theory]
    [MemberData(nameof(Machines))]
    public void StateMachine_DefinitionUriExistsAndLogsAndTraces(string machine)
    {
        var properties = Properties(LogicalId(machine));

        File.Exists(Path.Combine(Repository.Root, properties["DefinitionUri"]!.GetValue<string>())).Should().BeTrue();
        properties["Logging"]!["Level"]!.GetValue<string>().Should().Be("ALL");
        properties["Logging"]!["IncludeExecutionData"]!.GetValue<bool>().Should().BeTrue();
        var logGroup = properties["Logging"]!["Destinations"]![0]!["CloudWatchLogsLogGroup"]!["LogGroupArn"]!["Fn::GetAtt"]![0]!.GetValue<string>();
        Declared[logGroup]!["Properties"]!["RetentionInDays"]!["Ref"]!.GetValue<string>().Should().Be("LogRetentionDays");
        properties["Tracing"]!["Enabled"]!.GetValue<bool>().Should().BeTrue();
    }

    [Theory]
    [InlineData("provision", "DSQL Cluster Pair Provision Requested")]
    [InlineData("teardown", "DSQL Cluster Pair Teardown Requested")]
    [InlineData("update", "DSQL Cluster Pair Update Requested")]
    public void StateMachine_StartsFromItsRequestEventOnTheBus(string machine, string detailType)
    {
        var rule = Properties(LogicalId(machine))["Events"]!.AsObject().Single().Value!;

        rule["Type"]!.GetValue<string>().Should().Be("EventBridgeRule");
        rule["Properties"]!["EventBusName"]!["Ref"]!.GetValue<string>().Should().Be("WorkflowsEventBus");
        rule["Properties"]!["Pattern"]!["detail-type"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Equal(detailType);
        rule["Properties"]!["Pattern"]!["source"]!["Ref"]!.GetValue<string>().Should().Be("RequestEventSources", "only the allowed producers start a workflow");
        rule["Properties"]!["InputPath"]!.GetValue<string>().Should().Be("$.detail");

        // The sample request event in events/ matches the rule, and its detail is the console input.
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "events", $"{machine}-requested-event.json")))!;
        sample["detail-type"]!.GetValue<string>().Should().Be(detailType);
        var allowed = Template["Parameters"]!["RequestEventSources"]!["Default"]!.GetValue<string>().Split(',');
        allowed.Should().Contain(sample["source"]!.GetValue<string>(), "the sample event passes the default source filter");
        var input = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "events", $"{machine}-input.json")));
        // The event carries the producer's idempotencyKey; a console input kept for reuse must not (a reused key
        // returns the first pair).
        var detail = sample["detail"]!.DeepClone().AsObject();
        detail.Remove("idempotencyKey");
        JsonNode.DeepEquals(detail, input).Should().BeTrue();
    }

    [Fact]
    public void LocalEnv_SetsOnlyVariablesTheTemplateDeclares()
    {
        // sam local invoke --env-vars overrides only variables declared in the template; anything else is ignored.
        var env = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "events", "local-env.json")))!.AsObject();
        var declared = Template["Globals"]!["Function"]!["Environment"]!["Variables"]!.AsObject().Select(kv => kv.Key).ToHashSet();

        env["Parameters"]!["AWS_ENDPOINT_URL_DSQL"]!.GetValue<string>().Should().StartWith("http://");
        foreach (var (scope, variables) in env)
        {
            (scope == "Parameters" || Repository.Steps.Contains(scope[..^"Function".Length])).Should().BeTrue($"{scope} is Parameters or a function");
            variables!.AsObject().Select(kv => kv.Key).Should().BeSubsetOf(declared);
        }
    }

    [Fact]
    public void Globals_DeployedEndpointVariableMeansThePublicEndpoint()
    {
        var variables = Template["Globals"]!["Function"]!["Environment"]!["Variables"]!.AsObject();
        string? Deployed(string name) => variables[name]?.GetValue<string>();

        Workflows.Core.Dsql.DsqlEndpointResolver.Resolve("eu-west-1", null, useFips: false, Deployed)
            .Should().Be(new Uri("https://dsql.eu-west-1.api.aws"));
    }

    private static string LogicalId(string machine) => char.ToUpperInvariant(machine[0]) + machine[1..] + "StateMachine";

    private static List<string> Validate(JsonObject template)
    {
        using var instance = JsonDocument.Parse(template.ToJsonString());
        var results = SamSchema.Value.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .DefaultIfEmpty("invalid, without details")
                .ToList();
    }

    /// <summary>Every inline IAM statement of every resource's Policies (SAM policy templates are not statements).</summary>
    private static IEnumerable<(string Owner, JsonObject Statement)> Statements(JsonObject template)
    {
        foreach (var (id, resource) in template["Resources"]!.AsObject())
        {
            if (resource!["Properties"]?["Policies"] is not JsonNode policies)
            {
                continue;
            }

            foreach (var policy in policies is JsonArray list ? list : new JsonArray(policies.DeepClone()))
            {
                var statements = policy?["Statement"];
                foreach (var statement in statements is JsonArray many ? many : statements is JsonObject one ? [one] : [])
                {
                    yield return (id, statement!.AsObject());
                }
            }
        }
    }

    private static IEnumerable<string> Actions(JsonObject statement) => statement["Action"] switch
    {
        JsonArray many => many.Select(a => a!.GetValue<string>()),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Placeholder();
}
