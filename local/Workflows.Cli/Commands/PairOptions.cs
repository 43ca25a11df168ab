using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DsqlLocal;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;

namespace Workflows.Cli.Commands;

/// <summary>The options provision and teardown share: where DSQL is, the embedded emulator's settings, output.</summary>
internal sealed class PairOptions
{
    public const int MaxSimulatedSeconds = 86_400;

    public Option<string?> Endpoint { get; } = new("--dsql-endpoint")
    {
        Description = "Use the DSQL endpoint at this URL (e.g. a running DSQL Local, http://127.0.0.1:8787) in real time, instead of the embedded emulator.",
    };

    public Option<bool> Aws { get; } = new("--aws")
    {
        Description = "Use the real Aurora DSQL endpoints of the Regions with the default AWS credential chain, in real time (creates billable clusters).",
    };

    public Option<bool> LocalCredentials { get; } = new("--local-credentials")
    {
        Description = "With --dsql-endpoint: sign with DSQL Local's documented key pair instead of the default credential chain.",
    };

    public Option<int?> ProvisioningSeconds { get; } = new("--provisioning-seconds")
    {
        Description = "Embedded emulator: simulated seconds from link to ACTIVE (default: what the state directory used last, else 600).",
        CustomParser = r => Seconds(r, "--provisioning-seconds"),
    };

    public Option<int?> DeletionSeconds { get; } = new("--deletion-seconds")
    {
        Description = "Embedded emulator: simulated seconds a deleted cluster stays DELETING (default: what the state directory used last, else 60).",
        CustomParser = r => Seconds(r, "--deletion-seconds"),
    };

    public Option<string[]> Faults { get; } = new("--fault")
    {
        Description = "Embedded emulator: inject faults, as DSQL Local's --fault (repeatable): op=<name|*>,region=<name|*>,throttle=<0..1>,retry-after=<s>,internal=<0..1>,latency=<ms>.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> InitialWait { get; } = new("--initial-wait")
    {
        Description = "Seconds before the first status check (default: the request's, 180 for provision; against a DSQL Local, what its lifecycle takes).",
        CustomParser = r => Bounded(r, "--initial-wait", 0, 3600),
    };

    public Option<int?> Poll { get; } = new("--poll")
    {
        Description = "Seconds between status checks, fixed (default: the request's back-off; against a DSQL Local, a quarter of its lifecycle).",
        CustomParser = r => Bounded(r, "--poll", 1, 300),
    };

    public Option<int?> Seed { get; } = new("--seed")
    {
        Description = "Seeds retry jitter, the default execution name, the emulator's identifiers and its faults: a seeded run repeats exactly.",
        CustomParser = ParseSeed,
    };

    public Option<string?> Name { get; } = new("--name")
    {
        Description = "Execution name (1-80 characters, no spaces or special characters); the functions derive their client tokens from it. Default: a UUID (seeded by --seed).",
    };

    public Option<string> Iam { get; } = new("--iam")
    {
        Description = "Embedded emulator: 'enforce' evaluates IAM (default: $WORKFLOWS_IAM, else off), each function signing with its own key bound to the role template.yaml gives it (its Policies: expanded); a call its role does not allow fails with AccessDeniedException.",
        DefaultValueFactory = _ => "off",
    };

    public Option<string[]> IamRevoke { get; } = new("--iam-revoke")
    {
        Description = "With --iam enforce: take an action out of a function's role for this run, to see what fails without it (repeatable): <FunctionLogicalId>=<service:Action>.",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> Json { get; } = CommonOptions.Json("the outcome");

    public Option<string?> Output { get; } = CommonOptions.Output();

    public Option<string> Functions { get; } = CommonOptions.Functions();

    public Option<string?> Artifacts { get; } = CommonOptions.Artifacts();

    public Option<string?> StateDir { get; } = new("--state-dir")
    {
        Description = "Where the last run, the embedded emulator's clusters and its virtual clock are kept (default: $WORKFLOWS_HOME, else ./.workflows).",
    };

    public IEnumerable<Option> All => [Endpoint, Aws, LocalCredentials, ProvisioningSeconds, DeletionSeconds, Faults, InitialWait, Poll, Seed, Name, Iam, IamRevoke, Output, Json, StateDir, Functions, Artifacts];

    /// <exception cref="UsageException">--json with another --output.</exception>
    public Workflows.Cli.Output.OutputFormat ReadOutput(ParseResult parse) => CommonOptions.ReadOutput(parse, Output, Json);

    public static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    /// <exception cref="UsageException">Options that contradict each other or a fault spec that is not valid.</exception>
    public BackendSettings Read(ParseResult parse, CliHost host)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var endpoint = parse.GetValue(Endpoint);
        var aws = parse.GetValue(Aws);
        if (endpoint is not null && aws)
        {
            throw new UsageException("--dsql-endpoint and --aws are two different places: give one or neither (neither: the embedded DSQL Local)");
        }

        var mode = aws ? EndpointMode.Aws : endpoint is not null ? EndpointMode.Endpoint : EndpointMode.Embedded;
        if (parse.GetValue(LocalCredentials) && mode != EndpointMode.Endpoint)
        {
            throw new UsageException("--local-credentials goes with --dsql-endpoint (the embedded emulator needs no credentials, --aws uses yours)");
        }

        if (mode != EndpointMode.Embedded)
        {
            foreach (var option in new Option[] { ProvisioningSeconds, DeletionSeconds, Faults, Iam, IamRevoke })
            {
                if (Given(parse, option))
                {
                    throw new UsageException($"{option.Name} configures the embedded emulator; it cannot apply to {(aws ? "--aws" : "--dsql-endpoint")}");
                }
            }
        }

        var (iam, revocations) = ReadIam(parse, host, mode == EndpointMode.Embedded);

        var functions = CommonOptions.ReadFunctions(parse, Functions, Artifacts, host, out var artifacts);
        return new BackendSettings
        {
            Mode = mode,
            Functions = functions,
            Artifacts = artifacts,
            Endpoint = endpoint is null ? null : EndpointUri(endpoint),
            LocalCredentials = parse.GetValue(LocalCredentials),
            ProvisioningTime = parse.GetValue(ProvisioningSeconds) is { } p ? TimeSpan.FromSeconds(p) : null,
            DeletionTime = parse.GetValue(DeletionSeconds) is { } d ? TimeSpan.FromSeconds(d) : null,
            Faults = (parse.GetValue(Faults) ?? []).Select(FaultRuleOf).ToList(),
            Seed = parse.GetValue(Seed),
            InitialWait = parse.GetValue(InitialWait),
            Poll = parse.GetValue(Poll),
            IamEnforce = iam,
            IamRevocations = revocations,
            IamAudit = host.IamAudit,
            StateDirectory = LastRunStore.DirectoryFor(host, parse.GetValue(StateDir)),
        };
    }

    /// <summary>--iam and --iam-revoke (provision, update, teardown, list, and chaos, which types them into every command).</summary>
    /// <exception cref="UsageException">An IAM mode other than off or enforce, a malformed revocation, or a revocation without enforce.</exception>
    public (bool Enforce, List<RoleRevocation> Revocations) ReadIam(ParseResult parse, CliHost host, bool embedded)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(host);
        // WORKFLOWS_IAM gives the default for embedded runs (a suite can run everything with IAM enforced); it
        // says nothing about --dsql-endpoint or --aws, whose IAM is the endpoint's own.
        var iamText = Given(parse, Iam) ? parse.GetValue(Iam) : embedded ? host.Variable("WORKFLOWS_IAM") ?? "off" : "off";
        var iam = iamText switch
        {
            "enforce" => true,
            "off" or null => false,
            var other => throw new UsageException(Given(parse, Iam)
                ? $"--iam '{other}' must be 'off' or 'enforce'"
                : $"WORKFLOWS_IAM '{other}' must be 'off' or 'enforce'"),
        };
        var revocations = (parse.GetValue(IamRevoke) ?? []).Select(RoleRevocation.Parse).ToList();
        if (revocations.Count > 0 && !iam)
        {
            throw new UsageException("--iam-revoke changes the roles IAM enforces: it needs --iam enforce");
        }

        return (iam, revocations);
    }

    private static FaultRule FaultRuleOf(string spec)
    {
        try
        {
            return FaultRule.Parse(spec);
        }
        catch (FormatException e)
        {
            var message = e.Message.StartsWith("--fault", StringComparison.Ordinal) ? e.Message : $"--fault '{spec}': {e.Message}";
            throw new UsageException(message, e);
        }
    }

    private static Uri EndpointUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--dsql-endpoint '{value}' must be an absolute http or https URL");

    private static int? Seconds(ArgumentResult result, string option)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= MaxSimulatedSeconds)
        {
            return seconds;
        }

        result.AddError($"{option} '{token}' must be a whole number of seconds from 0 to {MaxSimulatedSeconds}");
        return null;
    }

    // The same ranges as the request's polling members, so a flag the request would refuse is refused here.
    private static int? Bounded(ArgumentResult result, string option, int min, int max)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds >= min && seconds <= max)
        {
            return seconds;
        }

        result.AddError($"{option} '{token}' must be a whole number of seconds from {min} to {max}");
        return null;
    }

    private static int? ParseSeed(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
        {
            return seed;
        }

        result.AddError($"--seed '{token}' is not a whole number (a 32-bit integer)");
        return null;
    }
}
