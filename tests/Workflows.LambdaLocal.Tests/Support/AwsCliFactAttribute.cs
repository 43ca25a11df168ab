namespace Workflows.LambdaLocal.Tests.Support;

/// <summary>A fact that is skipped, saying why, on a machine without the AWS CLI.</summary>
public sealed class AwsCliFactAttribute : FactAttribute
{
    public AwsCliFactAttribute()
    {
        if (AwsCli.Executable is null)
        {
            Skip = "the AWS CLI (aws) is not installed: looked for /usr/bin/aws and aws on PATH";
        }
    }
}
