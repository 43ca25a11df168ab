namespace Workflows.Core.Errors;

/// <summary>
/// DeleteCluster was refused because the cluster is protected. Terminal by design: a workflow must not turn
/// protection off on its own unless it was asked to (teardown with "force": true).
/// </summary>
public sealed class DeletionProtectionEnabledException : Exception
{
    public DeletionProtectionEnabledException()
        : base("The cluster has deletion protection enabled.")
    {
    }

    public DeletionProtectionEnabledException(string message)
        : base(message)
    {
    }

    public DeletionProtectionEnabledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DeletionProtectionEnabledException(string region, string identifier, Exception? innerException)
        : base(
            $"Cluster {identifier} in {region} has deletion protection enabled: turn it off first, or start the teardown with \"force\": true.",
            innerException)
    {
        Region = region;
        Identifier = identifier;
    }

    public string? Region { get; }

    public string? Identifier { get; }
}
