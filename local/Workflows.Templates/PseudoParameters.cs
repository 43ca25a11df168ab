namespace Workflows.Templates;

/// <summary>
/// CloudFormation's pseudo parameters as a local run sees them: the run's Region and account, the aws partition, and
/// "local" for the stack name. One table for every reader of the template (bindings, roles, EventBridge rules).
/// </summary>
public static class PseudoParameters
{
    /// <summary>The value of a pseudo parameter (<c>AWS::Region</c>, ...), or null when the name is not one.</summary>
    public static string? Resolve(string name, string region, string account) => name switch
    {
        "AWS::Region" => region,
        "AWS::AccountId" => account,
        "AWS::Partition" => "aws",
        "AWS::StackName" => "local",
        "AWS::URLSuffix" => "amazonaws.com",
        _ => null,
    };
}
