using System.CommandLine;
using Amazon.Runtime;
using DsqlLocal;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;
using Workflows.Cli.Runs;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Engine.Time;

namespace Workflows.Cli.Commands;

/// <summary>
/// workflows describe: GetCluster on one Aurora DSQL cluster, through the same client the functions use, in the same
/// places as provision and teardown: the embedded emulator of the state directory (default), --dsql-endpoint or --aws.
/// </summary>
internal sealed class DescribeCommand
{
    public const string Examples = """
        workflows describe --region us-east-1 --identifier abcdefghijklmnopqrstuvwxyz
        workflows describe --region us-east-1 --identifier <id> --dsql-endpoint http://127.0.0.1:8787 --local-credentials --json
        workflows describe --region us-east-1 --identifier <id> --aws
        """;

    private readonly CliContext _context;
    private readonly Option<string> _region = new("--region") { Description = "The cluster's Region, e.g. us-east-1.", Required = true };
    private readonly Option<string> _identifier = new("--identifier") { Description = "The cluster identifier.", Required = true };
    private readonly Option<string?> _endpoint = new("--dsql-endpoint") { Description = "Ask the DSQL endpoint at this URL (e.g. a running DSQL Local, http://127.0.0.1:8787) instead of the embedded emulator." };
    private readonly Option<bool> _aws = new("--aws") { Description = "Ask the Region's real Aurora DSQL endpoint with the default AWS credential chain (AWS_ENDPOINT_URL_DSQL is honoured)." };
    private readonly Option<bool> _localCredentials = new("--local-credentials") { Description = "With --dsql-endpoint: sign with DSQL Local's default key pair instead of the default credential chain." };
    private readonly Option<string?> _stateDir = CommonOptions.StateDir();
    private readonly Option<bool> _json = CommonOptions.Json("the cluster");
    private readonly Option<string?> _output = CommonOptions.Output();

    public DescribeCommand(CliContext context)
    {
        _context = context;
        Command = new Command("describe", """
            Describe an Aurora DSQL cluster (GetCluster) where provision and teardown make them: by default the embedded
            DSQL Local of the state directory (at its saved virtual time), or --dsql-endpoint, or --aws (default AWS
            credential chain; AWS_ENDPOINT_URL_DSQL is honoured as by the AWS SDKs).
            """)
        {
            _region, _identifier, _endpoint, _aws, _localCredentials, _stateDir, _output, _json,
        };
        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var format = CommonOptions.ReadOutput(parse, _output, _json);
        var region = CommonOptions.Region(parse.GetValue(_region)!, "--region");

        var identifier = parse.GetValue(_identifier)!;
        var endpoint = parse.GetValue(_endpoint);
        var aws = parse.GetValue(_aws);
        if (endpoint is not null && aws)
        {
            throw new UsageException("--dsql-endpoint and --aws are two different places: give one or neither (neither: the embedded DSQL Local of the state directory)");
        }

        if (parse.GetValue(_localCredentials) && endpoint is null)
        {
            throw new UsageException("--local-credentials goes with --dsql-endpoint (the embedded emulator needs no credentials, --aws uses yours)");
        }

        if ((endpoint is not null || aws) && parse.GetValue(_stateDir) is not null)
        {
            throw new UsageException("--state-dir names the embedded emulator's clusters; it cannot apply to --dsql-endpoint or --aws");
        }

        GetClusterResponse? cluster;
        try
        {
            cluster = endpoint is null && !aws
                ? await EmbeddedAsync(LastRunStore.DirectoryFor(_context.Host, parse.GetValue(_stateDir)), region, identifier, cancellationToken)
                : await RemoteAsync(Endpoint(endpoint), parse.GetValue(_localCredentials), region, identifier, cancellationToken);
        }
        catch (DsqlServiceException e)
        {
            return Refused(e.ErrorCode, e.Message);
        }
        catch (DsqlTransportException e)
        {
            return Refused(nameof(DsqlTransportException), e.Message);
        }
        catch (AmazonClientException e)
        {
            // The default chain found no credentials (or could not use them): nothing was sent.
            return Refused("CredentialsError", e.Message);
        }

        if (cluster is null)
        {
            return Refused("ResourceNotFoundException", $"no embedded clusters in '{LastRunStore.DirectoryFor(_context.Host, parse.GetValue(_stateDir))}' (run 'workflows provision' first, or give --state-dir, --dsql-endpoint or --aws)");
        }

        if (format == OutputFormat.Json)
        {
            JsonOutput.Write(_context.Out, ClusterView.Json(cluster));
        }
        else if (format == OutputFormat.Text)
        {
            ClusterView.WriteText(_context.Out, cluster);
        }
        else
        {
            ClusterView.Write(Consoles.Create(_context.Out, _context.Host), cluster);
        }

        return ExitCodes.Success;
    }

    private async Task<GetClusterResponse> RemoteAsync(Uri? endpoint, bool localCredentials, string region, string identifier, CancellationToken cancellationToken)
    {
        var options = new DsqlClientOptions
        {
            ServiceUrl = endpoint,
            Credentials = localCredentials ? new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey) : null,
        };
        using var factory = new DsqlClientFactory(options, _context.Host.DsqlHandler, environment: _context.Host.Environment);
        return await factory.ForRegion(region).GetClusterAsync(identifier, cancellationToken);
    }

    /// <summary>
    /// The clusters provisions left in the state directory, read by an emulator on that data file whose virtual
    /// clock starts where the next provision or teardown would (see <see cref="EmbeddedState"/>); nothing is
    /// written back. Null when the directory has no emulator data yet.
    /// </summary>
    private async Task<GetClusterResponse?> EmbeddedAsync(string directory, string region, string identifier, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(directory, EmbeddedState.DataFileName)))
        {
            return null;
        }

        using var state = EmbeddedState.Open(directory);
        var saved = state.ReadSaved();
        var clock = new VirtualClock(EmbeddedState.StartTime(_context.Host.Time.GetUtcNow(), saved.VirtualNow));
        DsqlLocalServer server;
        try
        {
            server = await DsqlLocalServer.StartAsync(
                new DsqlLocalOptions
                {
                    DataFile = state.DataFile,
                    ProvisioningTime = TimeSpan.FromSeconds(saved.ProvisioningSeconds ?? BackendSettings.DefaultProvisioningSeconds),
                    DeletionTime = TimeSpan.FromSeconds(saved.DeletionSeconds ?? BackendSettings.DefaultDeletionSeconds),
                },
                clock,
                inProcess: true,
                cancellationToken);
        }
        catch (DsqlLocalStartupException e)
        {
            throw new UsageException($"the embedded DSQL Local cannot start: {e.Message}", e);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(EmbeddedState.CorruptDataFile(state.DataFile, e), e);
        }

        await using (server)
        {
            using var handler = server.CreateInlineHandler();
            using var factory = new DsqlClientFactory(
                new DsqlClientOptions { ServiceUrl = server.BaseAddress, Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey) },
                handler,
                clock,
                environment: _ => null);
            return await factory.ForRegion(region).GetClusterAsync(identifier, cancellationToken);
        }
    }

    private int Refused(string code, string message)
    {
        _context.Error.WriteLine($"{code}: {message}");
        return ExitCodes.Failed;
    }

    private static Uri? Endpoint(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"--dsql-endpoint '{value}' must be an absolute http or https URL");
    }
}
