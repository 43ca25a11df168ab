using System.Text.Json.Nodes;
using DsqlLocal;
using Workflows.Cli;
using Workflows.Cli.Pairs;

namespace Workflows.Host.Tests.Support;

/// <summary>
/// The one harness of the AWS CLI tests: the project's template served as `workflows serve --virtual-clock` serves
/// it (embedded DSQL Local listening for clients, a fresh state directory per test, seed 11), the AWS CLI pointed at
/// it, and completion awaited on the service's own signal, never on wall time.
/// </summary>
public abstract class ServedTemplate : IDisposable
{
    public static readonly string RepoRoot = FindRoot();

    protected ServedTemplate(string prefix) =>
        StateDirectory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + "-" + Guid.NewGuid().ToString("N"));

    protected string StateDirectory { get; }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Directory.Exists(StateDirectory))
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
    }

    /// <summary>An events/ file's path, for `file://` and `fileb://` arguments.</summary>
    protected static string EventsFile(string name) => System.IO.Path.Combine(RepoRoot, "events", name);

    /// <summary>Serve's session on the template; <paramref name="timeScale"/> null = the virtual clock.</summary>
    internal Task<ServeSession> ServeAsync(double? timeScale = null) => ServeSession.StartAsync(
        new BackendSettings { Mode = EndpointMode.Embedded, StateDirectory = StateDirectory, Seed = 11, TimeScale = timeScale, ListenForClients = true },
        new ServeSettings { Port = 0, TemplatePath = System.IO.Path.Combine(RepoRoot, "template.yaml"), TimeScale = timeScale ?? 1 },
        new CliHost { WorkingDirectory = RepoRoot },
        extraServices: null,
        CancellationToken.None);

    /// <summary>The AWS CLI at the session's endpoint, signing with DSQL Local's documented pair.</summary>
    internal static AwsCli Cli(ServeSession session) => new(session.Host.BaseAddress, DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey);

    /// <summary>Waits for the execution to close, then describes it through the CLI.</summary>
    internal static async Task<JsonObject> CompletedAsync(ServeSession session, AwsCli cli, string arn)
    {
        await session.StepFunctions.WhenClosedAsync(arn).WaitAsync(TimeSpan.FromSeconds(60));
        return await cli.StepFunctionsAsync("describe-execution", "--execution-arn", arn);
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(d.FullName, "Workflows.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Workflows.sln) is not above " + AppContext.BaseDirectory);
    }
}
