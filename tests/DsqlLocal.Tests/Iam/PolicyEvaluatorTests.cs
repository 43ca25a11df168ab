using DsqlLocal.Iam;

namespace DsqlLocal.Tests.Iam;

public sealed class PolicyEvaluatorTests
{
    private const string Cluster = "arn:aws:dsql:us-east-1:111122223333:cluster/abcdefghijklmnopqrstuvwxyz";

    private static IamDecision Decide(string policyJson, string action = "dsql:GetCluster", string resource = Cluster, Dictionary<string, IReadOnlyList<string>>? context = null) =>
        PolicyEvaluator.Evaluate([IamPolicy.Parse(policyJson)], new IamRequest(action, resource, context));

    private static string Policy(string statements) => $$"""{"Version":"2012-10-17","Statement":[{{statements}}]}""";

    [Fact]
    public void Evaluate_NoStatementMatches_ImplicitDeny()
    {
        Decide(Policy("""{"Effect":"Allow","Action":"dsql:ListClusters","Resource":"*"}""")).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_NoPolicies_ImplicitDeny()
    {
        PolicyEvaluator.Evaluate([], new IamRequest("dsql:GetCluster", Cluster)).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_AllowMatches_Allow()
    {
        Decide(Policy("""{"Effect":"Allow","Action":"dsql:GetCluster","Resource":"*"}""")).Should().Be(IamDecision.Allow);
    }

    [Fact]
    public void Evaluate_DenyAndAllowBothMatch_ExplicitDenyWins()
    {
        var json = Policy("""
            {"Effect":"Allow","Action":"dsql:*","Resource":"*"},
            {"Effect":"Deny","Action":"dsql:GetCluster","Resource":"*"}
            """);
        Decide(json).Should().Be(IamDecision.ExplicitDeny);
        Decide(json, "dsql:ListClusters").Should().Be(IamDecision.Allow);
    }

    [Fact]
    public void Evaluate_DenyInAnotherPolicy_ExplicitDenyWins()
    {
        var allow = IamPolicy.Parse(Policy("""{"Effect":"Allow","Action":"*","Resource":"*"}"""));
        var deny = IamPolicy.Parse(Policy("""{"Effect":"Deny","Action":"dsql:DeleteCluster","Resource":"*"}"""));
        PolicyEvaluator.Evaluate([allow, deny], new IamRequest("dsql:DeleteCluster", Cluster)).Should().Be(IamDecision.ExplicitDeny);
    }

    [Theory]
    [InlineData("dsql:GetCluster", true)]
    [InlineData("DSQL:getcluster", true)]
    [InlineData("dsql:Get*", true)]
    [InlineData("dsql:?etCluster", true)]
    [InlineData("dsql:*Cluster", true)]
    [InlineData("*", true)]
    [InlineData("dsql:GetCluster?", false)]
    [InlineData("dsql:List*", false)]
    [InlineData("rds:GetCluster", false)]
    public void Evaluate_ActionWildcardsAndCase_MatchAsIamDoes(string pattern, bool allowed)
    {
        Decide(Policy($$"""{"Effect":"Allow","Action":"{{pattern}}","Resource":"*"}"""))
            .Should().Be(allowed ? IamDecision.Allow : IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_NotAction_AllowsEverythingElse()
    {
        var json = Policy("""{"Effect":"Allow","NotAction":["dsql:Delete*"],"Resource":"*"}""");
        Decide(json, "dsql:GetCluster").Should().Be(IamDecision.Allow);
        Decide(json, "dsql:DeleteCluster").Should().Be(IamDecision.ImplicitDeny);
    }

    [Theory]
    [InlineData("arn:aws:dsql:*:111122223333:cluster/*", true)]
    [InlineData("arn:aws:dsql:us-east-?:111122223333:cluster/*", true)]
    [InlineData("arn:aws:dsql:us-east-1:111122223333:cluster/abcdefghijklmnopqrstuvwxyz", true)]
    [InlineData("arn:aws:dsql:us-west-2:111122223333:cluster/*", false)]
    [InlineData("arn:aws:dsql:*:444455556666:cluster/*", false)]
    [InlineData("arn:aws:dsql:*:111122223333:CLUSTER/*", false)]
    [InlineData("arn:aws:dsql:*:*", false)]
    public void Evaluate_ResourcePatterns_MatchSegmentBySegmentAndCaseSensitively(string pattern, bool allowed)
    {
        Decide(Policy($$"""{"Effect":"Allow","Action":"dsql:GetCluster","Resource":"{{pattern}}"}"""))
            .Should().Be(allowed ? IamDecision.Allow : IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Evaluate_NotResource_AppliesToOtherResourcesOnly()
    {
        var json = Policy("""{"Effect":"Deny","Action":"dsql:*","NotResource":"arn:aws:dsql:us-east-1:*:cluster/*"},{"Effect":"Allow","Action":"dsql:*","Resource":"*"}""");
        Decide(json).Should().Be(IamDecision.Allow);
        Decide(json, resource: "arn:aws:dsql:eu-west-1:111122223333:cluster/x").Should().Be(IamDecision.ExplicitDeny);
    }

    [Fact]
    public void Evaluate_StatementAsSingleObject_IsOneStatement()
    {
        Decide("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dsql:GetCluster","Resource":"*"}}""").Should().Be(IamDecision.Allow);
    }

    private static Dictionary<string, IReadOnlyList<string>> Keys(params (string Key, string[] Values)[] keys) =>
        keys.ToDictionary(k => k.Key, k => (IReadOnlyList<string>)k.Values);

    private static IamDecision WithCondition(string condition, Dictionary<string, IReadOnlyList<string>> context) =>
        Decide(Policy($$"""{"Effect":"Allow","Action":"dsql:GetCluster","Resource":"*","Condition":{{condition}}}"""), context: context);

    [Fact]
    public void StringEquals_ResourceTag_CaseSensitiveValueAndCaseInsensitiveKeyName()
    {
        const string condition = """{"StringEquals":{"aws:ResourceTag/team":"blue"}}""";
        WithCondition(condition, Keys(("aws:ResourceTag/team", ["blue"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("AWS:RESOURCETAG/TEAM", ["blue"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:ResourceTag/team", ["Blue"]))).Should().Be(IamDecision.ImplicitDeny);
        WithCondition(condition, Keys()).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void StringEquals_SeveralValues_AreAlternatives()
    {
        WithCondition("""{"StringEquals":{"aws:RequestedRegion":["us-east-1","us-east-2"]}}""", Keys(("aws:RequestedRegion", ["us-east-2"])))
            .Should().Be(IamDecision.Allow);
    }

    [Fact]
    public void Conditions_SeveralKeysAndOperators_MustAllHold()
    {
        const string condition = """{"StringEquals":{"aws:RequestedRegion":"us-east-1","dsql:WitnessRegion":"us-west-2"},"StringLike":{"aws:ResourceTag/env":"prod-*"}}""";
        WithCondition(condition, Keys(("aws:RequestedRegion", ["us-east-1"]), ("dsql:WitnessRegion", ["us-west-2"]), ("aws:ResourceTag/env", ["prod-eu"])))
            .Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:RequestedRegion", ["us-east-1"]), ("dsql:WitnessRegion", ["eu-west-1"]), ("aws:ResourceTag/env", ["prod-eu"])))
            .Should().Be(IamDecision.ImplicitDeny);
    }

    [Theory]
    [InlineData("prod-*", "prod-eu", true)]
    [InlineData("prod-??", "prod-eu", true)]
    [InlineData("prod-?", "prod-eu", false)]
    [InlineData("PROD-*", "prod-eu", false)]
    public void StringLike_Wildcards_CaseSensitive(string pattern, string value, bool allowed)
    {
        WithCondition($$$"""{"StringLike":{"aws:ResourceTag/env":"{{{pattern}}}"}}""", Keys(("aws:ResourceTag/env", [value])))
            .Should().Be(allowed ? IamDecision.Allow : IamDecision.ImplicitDeny);
    }

    [Fact]
    public void StringNotEquals_KeyMissing_IsTrue_AndMatchingValue_IsFalse()
    {
        const string condition = """{"StringNotEquals":{"aws:ResourceTag/env":"prod"}}""";
        WithCondition(condition, Keys()).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:ResourceTag/env", ["dev"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:ResourceTag/env", ["prod"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void IfExists_KeyMissing_IsTrue()
    {
        WithCondition("""{"StringEqualsIfExists":{"dsql:WitnessRegion":"us-west-2"}}""", Keys()).Should().Be(IamDecision.Allow);
        WithCondition("""{"StringEqualsIfExists":{"dsql:WitnessRegion":"us-west-2"}}""", Keys(("dsql:WitnessRegion", ["eu-west-1"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void ForAllValuesStringEquals_EveryRequestValueMustBeListed_AndNoValuesIsTrue()
    {
        const string condition = """{"ForAllValues:StringEquals":{"aws:TagKeys":["team","env"]}}""";
        WithCondition(condition, Keys(("aws:TagKeys", ["team", "env"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:TagKeys", ["team", "owner"]))).Should().Be(IamDecision.ImplicitDeny);
        WithCondition(condition, Keys()).Should().Be(IamDecision.Allow);
    }

    [Fact]
    public void ForAnyValueStringEquals_OneListedValueSuffices_AndNoValuesIsFalse()
    {
        const string condition = """{"ForAnyValue:StringEquals":{"aws:TagKeys":["team"]}}""";
        WithCondition(condition, Keys(("aws:TagKeys", ["owner", "team"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:TagKeys", ["owner"]))).Should().Be(IamDecision.ImplicitDeny);
        WithCondition(condition, Keys()).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void ForAllValuesStringNotLike_RefusesAnyKeyMatchingAPattern()
    {
        const string condition = """{"ForAllValues:StringNotLike":{"aws:TagKeys":["workflows:*","aws:*"]}}""";
        WithCondition(condition, Keys(("aws:TagKeys", ["team"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:TagKeys", ["team", "workflows:execution"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Null_TrueMeansAbsent_FalseMeansPresent()
    {
        WithCondition("""{"Null":{"aws:ResourceTag/workflows:execution":"false"}}""", Keys(("aws:ResourceTag/workflows:execution", ["run-1"]))).Should().Be(IamDecision.Allow);
        WithCondition("""{"Null":{"aws:ResourceTag/workflows:execution":"false"}}""", Keys()).Should().Be(IamDecision.ImplicitDeny);
        WithCondition("""{"Null":{"aws:RequestTag/team":"true"}}""", Keys()).Should().Be(IamDecision.Allow);
        WithCondition("""{"Null":{"aws:RequestTag/team":"true"}}""", Keys(("aws:RequestTag/team", ["x"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void ArnLike_WildcardsPerSegment()
    {
        const string condition = """{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Workflows-*"}}""";
        WithCondition(condition, Keys(("aws:PrincipalArn", ["arn:aws:iam::111122223333:role/Workflows-Create"]))).Should().Be(IamDecision.Allow);
        WithCondition(condition, Keys(("aws:PrincipalArn", ["arn:aws:iam::111122223333:role/Other"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void Bool_ComparesTrueAndFalseIgnoringCase()
    {
        WithCondition("""{"Bool":{"aws:SecureTransport":true}}""", Keys(("aws:SecureTransport", ["TRUE"]))).Should().Be(IamDecision.Allow);
        WithCondition("""{"Bool":{"aws:SecureTransport":"true"}}""", Keys(("aws:SecureTransport", ["false"]))).Should().Be(IamDecision.ImplicitDeny);
    }

    [Fact]
    public void DenyWithCondition_OnlyDeniesWhenTheConditionHolds()
    {
        var json = Policy("""
            {"Effect":"Allow","Action":"dsql:*","Resource":"*"},
            {"Effect":"Deny","Action":"dsql:PutWitnessRegion","Resource":"*","Condition":{"StringNotEquals":{"dsql:WitnessRegion":"us-west-2"}}}
            """);
        Decide(json, "dsql:PutWitnessRegion", context: Keys(("dsql:WitnessRegion", ["us-west-2"]))).Should().Be(IamDecision.Allow);
        Decide(json, "dsql:PutWitnessRegion", context: Keys(("dsql:WitnessRegion", ["eu-west-1"]))).Should().Be(IamDecision.ExplicitDeny);
    }
}
