using DsqlLocal.Cli;

namespace DsqlLocal.Tests.Iam;

public sealed class IamConfigTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dsql-local-iam-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void ConfigFile_IamPrincipals_BindKeysToPoliciesAndEnforce()
    {
        var path = Write("""
            {"iam":{"enforce":true,"principals":[
              {"accessKeyId":"AKIAONE","secretAccessKey":"s1","arn":"arn:aws:iam::123456789012:role/One",
               "policies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dsql:GetCluster","Resource":"*"}},
                           "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}}"]}]}}
            """);

        var options = CommandLine.Parse(["--config", path])!;

        options.Iam.Enforce.Should().BeTrue();
        var principal = options.Iam.Principals.Single();
        principal.AccessKeyId.Should().Be("AKIAONE");
        principal.Arn.Should().Be("arn:aws:iam::123456789012:role/One");
        principal.Policies.Should().HaveCount(2);
        options.Validate();
    }

    [Theory]
    [InlineData("enforce", true)]
    [InlineData("off", false)]
    public void CommandLine_IamOption_SetsEnforcement(string value, bool enforce)
    {
        CommandLine.Parse(["--iam", value])!.Iam.Enforce.Should().Be(enforce);
    }

    [Fact]
    public void CommandLine_IamOptionBadValue_NamesTheChoices()
    {
        var parse = () => CommandLine.Parse(["--iam", "on"]);
        parse.Should().Throw<FormatException>().WithMessage("*'--iam' must be 'off' or 'enforce', not 'on'*");
    }

    [Theory]
    [InlineData("""{"iam":{"enforce":"yes"}}""", "'iam.enforce' must be a boolean")]
    [InlineData("""{"iam":{"principals":[{"accessKeyId":"A","secretAccessKey":"s"}]}}""", "'iam.principals[0].arn' must be a non-empty string")]
    [InlineData("""{"iam":{"principals":[{"accessKeyId":"A","secretAccessKey":"s","arn":"x","policies":[1]}]}}""", "iam.principals[0].policies")]
    [InlineData("""{"iam":{"mode":"enforce"}}""", "unknown setting 'iam.mode'")]
    public void ConfigFile_BadIamSetting_NamesTheField(string json, string expected)
    {
        var path = Write(json);
        var parse = () => CommandLine.Parse(["--config", path]);
        parse.Should().Throw<FormatException>().WithMessage($"*{expected}*");
    }

    [Fact]
    public void Validate_PolicyThatDoesNotParse_NamesPrincipalPolicyAndRule()
    {
        var path = Write("""
            {"iam":{"principals":[{"accessKeyId":"AKIAONE","secretAccessKey":"s","arn":"arn:aws:iam::123456789012:role/One",
              "policies":[{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dsql:GetCluster"}}]}]}}
            """);
        var options = CommandLine.Parse(["--config", path])!;

        var validate = options.Validate;

        validate.Should().Throw<ArgumentException>().WithMessage("*AKIAONE*policy 0*exactly one of Resource and NotResource*");
    }
}
