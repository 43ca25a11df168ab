using System.Globalization;
using System.Runtime.InteropServices;
using DsqlLocal.Faults;

namespace DsqlLocal.Cli;

/// <summary>
/// Hand-rolled option parsing (the options are few and flat). A config file is applied first, then the other
/// options override it regardless of their position.
/// </summary>
internal static class CommandLine
{
    public const int UsageError = 2;

    public const string Usage = """
        Usage: workflows dsql-local [options]   (from a checkout: dotnet run --project local/DsqlLocal -- [options])

        DSQL Local: an emulator of the Amazon Aurora DSQL control plane API.

        Options:
          --host <address>              Address to bind (default 127.0.0.1)
          --port <number>               Port to listen on, 0 for any free port (default 8787)
          --account-id <12 digits>      Account in cluster ARNs (default 123456789012)
          --provisioning-seconds <n>    Time a cluster spends CREATING (default 120)
          --deletion-seconds <n>        Time a cluster spends DELETING (default 30)
          --updating-seconds <n>        Time a cluster spends UPDATING after UpdateCluster (default 10)
          --idle-after-seconds <n>      Idle time after which a cluster is IDLE (default: never)
          --inactive-after-seconds <n>  Idle time after which a cluster is INACTIVE (default: never)
          --reactivation-seconds <n>    Time an INACTIVE cluster takes to come back on a connection (default 30)
          --regions <r1,r2,...>         Regions where the service runs (default: a built-in catalog)
          --witness-regions <r1,...>    Regions that may be witnesses (default: all of --regions)
          --unknown-region <mode>       unreachable (drop the connection, default) or serve
          --time-scale <n>              Divide the lifecycle times by n (default 1); outage
                                        windows, latency and Retry-After are not scaled
          --data-file <path>            Persist state to this JSON file (default: in memory)
          --config <path>               JSON config file with any of these settings, access keys and faults
          --seed <int>                  Seed the identifier and fault RNGs
          --fault <spec>                op=<name|*>,region=<name|*>,throttle=<0..1>,retry-after=<s>,
                                        internal=<0..1>,access-denied=<0..1>,latency=<ms>,
                                        create-failure=<0..1>   (repeatable)
          --outage <spec>               region=<name|*>,start=<s|ISO>,end=<s|ISO>   (repeatable)
          --access-key-id <id>          Accept this access key (with --secret-access-key) in addition to
          --secret-access-key <secret>  the default AKIADSQLLOCALEXAMPLE / dsql-local-secret-access-key
          --iam <off|enforce>           enforce: evaluate the identity-based policies the config file's
                                        "iam.principals" bind to access keys; other keys are unknown
                                        (default off: every known key may do everything)
          --multi-region-quota <n>      Multi-Region clusters per Region (default 5)
          --single-region-quota <n>     Single-Region clusters per Region (default 20)
          --verbose                     Log framework messages and error details
          --help                        Show this help
        """;

    private static readonly HashSet<string> Flags = ["--help", "-h", "--verbose"];

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        DsqlLocalOptions options;
        try
        {
            var parsed = Parse(args);
            if (parsed is null)
            {
                await output.WriteLineAsync(Usage);
                return 0;
            }

            options = parsed;
            options.Validate();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            await error.WriteLineAsync("dsql-local: " + ex.Message);
            await error.WriteLineAsync("Run with --help for usage.");
            return UsageError;
        }

        options.RequestLog = output;
        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // Cancel the default termination so the server can stop and release the port cleanly.
            context.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);

        try
        {
            await using var server = await DsqlLocalServer.StartAsync(options, cancellationToken: stop.Token);
            await output.WriteLineAsync($"DSQL Local listening on {server.BaseAddress.GetLeftPart(UriPartial.Authority)}");
            await output.FlushAsync(CancellationToken.None);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: fall through to a clean shutdown.
            }

            return 0;
        }
        catch (DsqlLocalStartupException ex)
        {
            await error.WriteLineAsync("dsql-local: " + ex.Message);
            return ex.IsUsageError ? UsageError : 1;
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"dsql-local: cannot listen on {options.Host}:{options.Port}: {ex.Message}");
            return 1;
        }
        catch (InvalidDataException ex)
        {
            await error.WriteLineAsync("dsql-local: " + ex.Message);
            return 1;
        }
    }

    /// <summary>Returns null when help was asked for.</summary>
    internal static DsqlLocalOptions? Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<(string Name, string? Value)>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-'))
            {
                throw new FormatException($"unexpected argument '{arg}'.");
            }

            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                pairs.Add((arg[..eq], arg[(eq + 1)..]));
            }
            else if (Flags.Contains(arg))
            {
                pairs.Add((arg, null));
            }
            else
            {
                if (i + 1 >= args.Count)
                {
                    throw new FormatException($"option '{arg}' needs a value.");
                }

                pairs.Add((arg, args[++i]));
            }
        }

        if (pairs.Any(p => p.Name is "--help" or "-h"))
        {
            return null;
        }

        var options = new DsqlLocalOptions();
        foreach (var (_, path) in pairs.Where(p => p.Name == "--config"))
        {
            ConfigFile.Apply(options, path!);
        }

        string? accessKeyId = null;
        string? secret = null;
        var rules = new List<FaultRule>();
        var outages = new List<OutageWindow>();
        foreach (var (name, value) in pairs.Where(p => p.Name != "--config"))
        {
            var text = value ?? string.Empty;
            switch (name)
            {
                case "--host":
                    options.Host = text;
                    break;
                case "--port":
                    options.Port = Int(name, text, 0, 65535);
                    break;
                case "--account-id":
                    options.AccountId = text;
                    break;
                case "--provisioning-seconds":
                    options.ProvisioningTime = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--deletion-seconds":
                    options.DeletionTime = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--updating-seconds":
                    options.UpdatingTime = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--idle-after-seconds":
                    options.IdleAfter = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--inactive-after-seconds":
                    options.InactiveAfter = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--reactivation-seconds":
                    options.ReactivationTime = TimeSpan.FromSeconds(Number(name, text));
                    break;
                case "--regions":
                    options.Regions = List(text);
                    break;
                case "--witness-regions":
                    options.WitnessRegions = List(text);
                    break;
                case "--unknown-region":
                    options.UnknownRegion = text switch
                    {
                        "unreachable" => UnknownRegionBehavior.Unreachable,
                        "serve" => UnknownRegionBehavior.Serve,
                        _ => throw new FormatException($"option '{name}' must be 'unreachable' or 'serve', not '{text}'."),
                    };
                    break;
                case "--time-scale":
                    options.TimeScale = Number(name, text);
                    if (options.TimeScale <= 0)
                    {
                        throw new FormatException($"option '{name}' must be greater than 0, not '{text}'.");
                    }

                    break;
                case "--data-file":
                    options.DataFile = text;
                    break;
                case "--seed":
                    options.Seed = Int(name, text, int.MinValue, int.MaxValue);
                    break;
                case "--fault":
                    rules.Add(Wrap(name, () => FaultSpec.ParseRule(text)));
                    break;
                case "--outage":
                    outages.Add(Wrap(name, () => FaultSpec.ParseOutage(text)));
                    break;
                case "--access-key-id":
                    accessKeyId = text;
                    break;
                case "--secret-access-key":
                    secret = text;
                    break;
                case "--iam":
                    options.Iam.Enforce = text switch
                    {
                        "enforce" => true,
                        "off" => false,
                        _ => throw new FormatException($"option '{name}' must be 'off' or 'enforce', not '{text}'."),
                    };
                    break;
                case "--multi-region-quota":
                    options.MultiRegionQuota = Int(name, text, 0, int.MaxValue);
                    break;
                case "--single-region-quota":
                    options.SingleRegionQuota = Int(name, text, 0, int.MaxValue);
                    break;
                case "--verbose":
                    options.Verbose = true;
                    break;
                default:
                    throw new FormatException($"unknown option '{name}'.");
            }
        }

        if ((accessKeyId is null) != (secret is null))
        {
            throw new FormatException("options '--access-key-id' and '--secret-access-key' must be given together.");
        }

        if (accessKeyId is not null)
        {
            options.AccessKeys.Add(new AccessKeyPair(accessKeyId, secret!));
        }

        if (rules.Count > 0 || outages.Count > 0)
        {
            options.Faults = new FaultSettings
            {
                Rules = [.. options.Faults.Rules, .. rules],
                Outages = [.. options.Faults.Outages, .. outages],
            };
        }

        return options;
    }

    private static List<string> List(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();

    private static T Wrap<T>(string name, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException ex)
        {
            throw new FormatException($"option '{name}': {ex.Message}", ex);
        }
    }

    private static int Int(string name, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new FormatException($"option '{name}' needs an integer between {min} and {max}, not '{text}'.");

    private static double Number(string name, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value)
            ? value
            : throw new FormatException($"option '{name}' needs a non-negative number, not '{text}'.");
}
