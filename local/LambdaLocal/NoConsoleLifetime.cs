using Microsoft.Extensions.Hosting;

namespace Workflows.LambdaLocal;

/// <summary>
/// The hosts here live inside someone else's process: the default console lifetime would take over that process's
/// Ctrl+C and SIGTERM, so the service's Kestrel hosts start and stop only when the service says.
/// </summary>
internal sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
