using Workflows.Core.Steps;

namespace Workflows.Functions.Tests.Core;

public sealed class ClientTokensTests
{
    private const string Machine = "arn:aws:states:us-east-1:123456789012:stateMachine:provision";

    [Fact]
    public void Derive_SameInputs_SameToken()
    {
        ClientTokens.Derive("run-1", Machine, "CreatePrimaryCluster", "us-east-1")
            .Should().Be(ClientTokens.Derive("run-1", Machine, "CreatePrimaryCluster", "us-east-1"));
    }

    [Fact]
    public void Derive_AnyInputDiffers_DifferentToken()
    {
        var tokens = new[]
        {
            ClientTokens.Derive("run-1", Machine, "DeleteCluster", "us-east-1/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-2", Machine, "DeleteCluster", "us-east-1/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-1", Machine + "2", "DeleteCluster", "us-east-1/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-1", null, "DeleteCluster", "us-east-1/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-1", Machine, "SetDeletionProtection", "us-east-1/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-1", Machine, "DeleteCluster", "us-east-2/abcdefghijklmnopqrstuvwxyz"),
            ClientTokens.Derive("run-1", Machine, "DeleteCluster", "us-east-1/bcdefghijklmnopqrstuvwxyza"),
            // Field boundaries count: moving a character from one field to the next changes the token.
            ClientTokens.Derive("run-1u", Machine, "DeleteCluster", "s-east-1/abcdefghijklmnopqrstuvwxyz"),
        };

        tokens.Should().OnlyHaveUniqueItems();
    }

    [Theory]
    [InlineData("LinkClusters")]
    [InlineData("CreatePrimaryCluster")]
    [InlineData("ValidateProvisionRequestAbcdefg")]
    public void Derive_AnyStep_StepPrefixedHexWithinDsqlsLimits(string step)
    {
        var token = ClientTokens.Derive(new string('x', 80), Machine, step, new string('y', 500));

        token.Length.Should().BeLessThanOrEqualTo(64);
        token.Should().MatchRegex("^[!-~]+$").And.MatchRegex($"^{step}-[0-9a-f]{{32,}}$");
    }

    [Theory]
    [InlineData("")]
    [InlineData("Create-Primary")]
    [InlineData("ValidateProvisionRequestAbcdefgh")]
    public void Derive_BadStepName_ArgumentException(string step)
    {
        FluentActions.Invoking(() => ClientTokens.Derive("run-1", null, step, "x")).Should().Throw<ArgumentException>();
    }
}
