using System.Runtime.InteropServices;
using Workflows.Engine.Tasks;
using Workflows.LambdaLocal;
using Workflows.Templates;

namespace Workflows.Cli.Pairs;

/// <summary>
/// The process mode: every function of the run is its built <c>bootstrap</c> (functions/Makefile's artifacts,
/// one folder per logical id), started by the local Lambda service with the environment template.yaml gives it,
/// Lambda's own variables, and the backend's endpoint and credentials, and invoked through the Runtime API.
/// </summary>
internal static class ProcessFunctions
{
    /// <summary>The Makefile's default output for this machine's architecture: artifacts/lambda/&lt;arch&gt; in the current folder.</summary>
    public static string DefaultArtifacts(CliHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.ResolvePath(Path.Combine("artifacts", "lambda", RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64"));
    }

    /// <exception cref="UsageException">An artifact is missing, or built for an architecture this machine cannot run.</exception>
    public static Task<LambdaService> StartAsync(
        IEnumerable<SamFunction> functions, string templatePath, string artifacts, Backend backend, string region, string account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var log = backend.Log;
        return StartAsync(functions, templatePath, artifacts, backend.FunctionEndpoint, backend.FunctionCredentials, log.WriteProcessLine, region, account, cancellationToken, backend.FunctionCredentialsFor);
    }

    /// <param name="endpoint">The functions' AWS_ENDPOINT_URL_DSQL; null: what the template says (empty: AWS's endpoints).</param>
    /// <param name="log">Receives each kept log line: the function's logical id and the line.</param>
    public static async Task<LambdaService> StartAsync(
        IEnumerable<SamFunction> functions,
        string templatePath,
        string artifacts,
        Uri? endpoint,
        LambdaCredentials? credentials,
        Action<string, string> log,
        string region,
        string account,
        CancellationToken cancellationToken,
        Func<string, LambdaCredentials?>? roleCredentials = null)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(log);
        var settings = TemplateFunctionSettings.Read(templatePath);
        var list = new List<LambdaFunction>();
        foreach (var fn in functions)
        {
            var s = settings[fn.LogicalId];
            var directory = Path.Combine(artifacts, fn.LogicalId);
            var bootstrap = Path.Combine(directory, "bootstrap");
            if (!File.Exists(bootstrap))
            {
                throw new UsageException($"--functions process: no {bootstrap}; build the artifacts first: make -C functions ARCH={HostArch()} OUT={artifacts}");
            }

            var environment = new Dictionary<string, string>(s.Environment, StringComparer.Ordinal);
            if (endpoint is not null)
            {
                environment["AWS_ENDPOINT_URL_DSQL"] = endpoint.ToString();
            }
            else if (environment.TryGetValue("AWS_ENDPOINT_URL_DSQL", out var declared) && declared.Length == 0)
            {
                // The template declares it empty so `sam local` can override it; empty means the public endpoint.
                environment.Remove("AWS_ENDPOINT_URL_DSQL");
            }

            list.Add(new LambdaFunction
            {
                Name = fn.LogicalId,
                ArtifactDirectory = directory,
                Environment = environment,
                TimeoutSeconds = s.TimeoutSeconds,
                MemorySizeMb = s.MemorySizeMb,
                LogFormat = string.Equals(s.LogFormat, "JSON", StringComparison.OrdinalIgnoreCase) ? LambdaLogFormat.Json : LambdaLogFormat.Text,
                ApplicationLogLevel = Level(s.ApplicationLogLevel),
                SystemLogLevel = Level(s.SystemLogLevel),
                Architecture = s.Architecture,
                Launcher = Launcher(bootstrap),
                Credentials = roleCredentials?.Invoke(fn.LogicalId),
            });
        }

        return await LambdaService.StartAsync(
            list,
            new LambdaLocalOptions
            {
                Region = region,
                Account = account,
                Credentials = credentials,
                LogSink = line => log(line.Function, line.Text),
                // Lambda allows 10 s of init; a bootstrap under qemu-user starts many times slower than on Graviton.
                InitTimeout = list.Any(f => f.Launcher.Count > 0) ? TimeSpan.FromSeconds(60) : new LambdaLocalOptions().InitTimeout,
            },
            cancellationToken);
    }

    private static LambdaLogLevel Level(string? text) =>
        Enum.TryParse<LambdaLogLevel>(text, ignoreCase: true, out var level) ? level : LambdaLogLevel.Info;

    private static string HostArch() => RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x64";

    /// <summary>
    /// How to start a bootstrap on this machine: directly when it is built for this machine's architecture, through
    /// qemu-user (Debian's qemu-user-static with the cross libc) when it is an arm64 artifact on x86_64.
    /// </summary>
    private static IReadOnlyList<string> Launcher(string bootstrap)
    {
        var machine = ElfMachine(bootstrap);
        var host = RuntimeInformation.OSArchitecture;
        if (machine is null || (machine == ElfAarch64 && host == Architecture.Arm64) || (machine == ElfX8664 && host == Architecture.X64))
        {
            return [];
        }

        if (machine == ElfAarch64 && File.Exists("/usr/bin/qemu-aarch64-static") && Directory.Exists("/usr/aarch64-linux-gnu"))
        {
            return ["/usr/bin/qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu"];
        }

        throw new UsageException($"--functions process: {bootstrap} is built for another architecture than this {host} machine; build with make -C functions ARCH={HostArch()}, or install qemu-user-static and libc6-arm64-cross to run arm64 artifacts");
    }

    private const int ElfAarch64 = 183;
    private const int ElfX8664 = 62;

    /// <summary>e_machine of an ELF executable (bytes 18-19, little-endian), or null for anything else (a script).</summary>
    private static int? ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        return file.Read(header) == 20 && header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
            ? header[18] | (header[19] << 8)
            : null;
    }
}
