namespace Workflows.Cli.Tests.Support
{
    /// <summary>The end-to-end suite's default: every embedded run with IAM enforced.</summary>
    internal sealed partial class CliRun
    {
        static partial void DefaultIam(ref string? mode) => mode ??= Workflows.EndToEnd.Tests.Support.EndToEndIam.Mode;
    }
}

namespace Workflows.EndToEnd.Tests.Support
{
    /// <summary>
    /// The IAM mode of the end-to-end suite's runs. Enforced by default, so provision, update and teardown prove the
    /// template's least privilege on every run (each function signs with its own key, bound to its template role);
    /// WORKFLOWS_TEST_IAM=off opts out (for example to tell an IAM failure from another one).
    /// </summary>
    internal static class EndToEndIam
    {
        public const string Variable = "WORKFLOWS_TEST_IAM";

        /// <summary>WORKFLOWS_TEST_IAM when set (the tool checks it is off or enforce), else enforce.</summary>
        public static string Mode => System.Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given ? given : "enforce";

    }
}
