using System.Diagnostics;
using DsqlLocal.Tests.Support;

namespace DsqlLocal.Tests.RealClients;

/// <summary>
/// DSQL Local on 127.0.0.1 (Kestrel, a real port) plus clients nobody here wrote: Debian's python3-boto3 and
/// awscli. Missing packages are installed with apt-get when the tests run as root (apt-get update first, as on a
/// fresh CI machine); when that is impossible, <see cref="SkipReason"/> says why and the tests skip. botocore's
/// DSQL model is placed in a temporary AWS_DATA_PATH/dsql/&lt;api-version&gt;/, because Debian's botocore may
/// predate the service.
/// </summary>
public sealed class RealClientFixture : IAsyncLifetime
{
    public const string Python = "/usr/bin/python3";
    public const string AwsCli = "/usr/bin/aws";

    private string _root = string.Empty;
    private DsqlLocalServer? _server;

    public string? SkipReason { get; private set; }

    public string Endpoint => _server!.BaseAddress.GetLeftPart(UriPartial.Authority);

    public DsqlLocalServer Server => _server!;

    public async Task InitializeAsync()
    {
        SkipReason = await EnsureToolsAsync();
        _root = Directory.CreateTempSubdirectory("dsql-local-real-clients-").FullName;
        var model = Path.Combine(_root, "aws-data", "dsql", ServiceModel.Dsql.ApiVersion);
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(ServiceModel.Directory, "*.json"))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        }

        // Real time (the clients run in their own processes), with lifecycles that take no time, so the clients'
        // waiters succeed on their first poll and nothing waits.
        _server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions
        {
            Host = "127.0.0.1",
            Port = 0,
            Seed = 3,
            ProvisioningTime = TimeSpan.Zero,
            DeletionTime = TimeSpan.Zero,
            UpdatingTime = TimeSpan.Zero,
        });
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Runs a client process with only this emulator's settings in its environment.</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("PYTHON", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = _root;
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(_root, "no-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(_root, "no-credentials");
        start.Environment["AWS_DATA_PATH"] = Path.Combine(_root, "aws-data");
        start.Environment["AWS_ACCESS_KEY_ID"] = DsqlLocalDefaults.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = DsqlLocalDefaults.SecretAccessKey;

        // AWS CLI v1 wants AWS_DEFAULT_REGION; botocore 1.31+ honours AWS_ENDPOINT_URL_DSQL, older ones need
        // --endpoint-url / endpoint_url, which the tests pass as well.
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ENDPOINT_URL_DSQL"] = Endpoint;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_PAGER"] = string.Empty;

        // One attempt per call: DSQL Local never throttles here, and a dropped connection (a Region outside the
        // catalog) should fail at once instead of after the clients' retries.
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not finish within 3 minutes.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static async Task<string?> EnsureToolsAsync()
    {
        if (await HaveToolsAsync())
        {
            return null;
        }

        if (await Shell("id", "-u") is not (0, var uid, _) || uid.Trim() != "0")
        {
            return "python3-boto3 or awscli is missing and the tests do not run as root, so they cannot apt-get install them.";
        }

        var update = await Shell("apt-get", "update");
        var install = update.Code == 0 ? await Shell("apt-get", "install", "-y", "python3-boto3", "awscli") : update;
        if (install.Code != 0 || !await HaveToolsAsync())
        {
            return $"apt-get could not install python3-boto3 and awscli (exit {install.Code}): {Last(install.Stderr)}";
        }

        return null;
    }

    private static async Task<bool> HaveToolsAsync() =>
        File.Exists(Python) && File.Exists(AwsCli) && (await Shell(Python, "-c", "import boto3")).Code == 0;

    private static async Task<(int Code, string Stdout, string Stderr)> Shell(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        try
        {
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return (-1, string.Empty, ex.Message);
        }
    }

    private static string Last(string text) => text.Length > 400 ? text[^400..] : text;
}
