using DsqlLocal.Iam;

namespace DsqlLocal.Tests.Iam;

public sealed class PolicyParserTests
{
    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("""{"Version":"2012-10-18","Statement":[]}""", "Version '2012-10-18'")]
    [InlineData("""{"Version":"2012-10-17"}""", "no Statement")]
    [InlineData("""{"Version":"2012-10-17","Statement":[]}""", "empty array")]
    [InlineData("""{"Version":"2012-10-17","Statement":"x"}""", "Statement must be an object or an array")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Action":"dsql:*","Resource":"*"}}""", "Statement has no Effect")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"dsql:*","Resource":"*"}]}""", "Statement[0].Effect must be \"Allow\" or \"Deny\", not \"allow\"")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}""", "exactly one of Action and NotAction")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:x","NotAction":"dsql:y","Resource":"*"}]}""", "exactly one of Action and NotAction")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*"}]}""", "exactly one of Resource and NotResource")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"GetCluster","Resource":"*"}]}""", "'GetCluster' is not an action")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":"*","Principal":"*"}]}""", "Statement[0].Principal")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2020-01-01"}}}]}""", "'DateGreaterThan' is not a condition operator")]
    [InlineData("""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dsql:*","Resource":["*", 3]}]}""", "Statement[0].Resource must be a string or an array of strings")]
    [InlineData("""{"Version":"2012-10-17","Statemnt":[]}""", "'Statemnt' is not a member")]
    public void Parse_BadPolicy_NamesTheMemberAndTheRule(string json, string expected)
    {
        var parse = () => IamPolicy.Parse(json);
        parse.Should().Throw<FormatException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void Parse_NoVersion_MeansTheOldLanguageVersion()
    {
        IamPolicy.Parse("""{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}""").Version.Should().Be("2008-10-17");
    }

    [Fact]
    public void Parse_FullStatement_KeepsEveryPart()
    {
        var policy = IamPolicy.Parse("""
            {"Version":"2012-10-17","Id":"p","Statement":[{"Sid":"S1","Effect":"Deny","NotAction":["dsql:Get*"],"NotResource":"arn:aws:dsql:*:*:cluster/a",
             "Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]},"Bool":{"aws:SecureTransport":false}}}]}
            """);

        var statement = policy.Statements.Single();
        statement.Sid.Should().Be("S1");
        statement.Effect.Should().Be(IamEffect.Deny);
        statement.Actions.Should().BeNull();
        statement.NotActions.Should().Equal("dsql:Get*");
        statement.NotResources.Should().Equal("arn:aws:dsql:*:*:cluster/a");
        statement.Conditions.Should().BeEquivalentTo(new[]
        {
            new IamCondition("ForAnyValue:StringEquals", "aws:TagKeys", ["a", "b"]),
            new IamCondition("Bool", "aws:SecureTransport", ["false"]),
        });
    }
}
