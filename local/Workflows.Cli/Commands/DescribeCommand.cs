using System.CommandLine;
using Amazon.Runtime;
using DsqlLocal;
using Workflows.Cli.Output;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Cli.Commands;

/// <summary>workflows describe: GetCluster on one Aurora DSQL cluster, through the same client the functions use.</summary>
internal sealed class DescribeCommand
{
    public const string Examples = """
        workflows describe --region us-east-1 --identifier abcdefghijklmnopqrstuvwxyz
        workflows describe --region us-east-1 --identifier <id> --dsql-endpoint http://127.0.0.1:8787 --local-credentials --json
        """;

    private readonly CliContext _context;
    private readonly Option<string> _region = new("--region") { Description = "The cluster's Region, e.g. us-east-1.", Required = true };
    private readonly Option<string> _identifier = new("--identifier") { Description = "The cluster identifier.", Required = true };
    private readonly Option<string?> _endpoint = new("--dsql-endpoint") { Description = "Send requests here instead of the Region's endpoint (e.g. DSQL Local, http://127.0.0.1:8787)." };
    private readonly Option<bool> _localCredentials = new("--local-credentials") { Description = "Sign with DSQL Local's default key pair instead of the default credential chain." };
    private readonly Option<bool> _json = CommonOptions.Json("the cluster");

    public DescribeCommand(CliContext context)
    {
        _context = context;
        Command = new Command("describe", """
            Describe an Aurora DSQL cluster (GetCluster) with the default AWS credential chain; AWS_ENDPOINT_URL_DSQL
            is honoured as by the AWS SDKs.
            """)
        {
            _region, _identifier, _endpoint, _localCredentials, _json,
        };
        Command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
    }

    public Command Command { get; }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var region = parse.GetValue(_region)!;
        if (!DsqlEndpointResolver.IsValidRegion(region))
        {
            throw new UsageException($"--region '{region}' is not a valid AWS Region name (expected e.g. us-east-1)");
        }

        var identifier = parse.GetValue(_identifier)!;
        var options = new DsqlClientOptions
        {
            ServiceUrl = Endpoint(parse.GetValue(_endpoint)),
            Credentials = parse.GetValue(_localCredentials) ? new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey) : null,
        };

        using var factory = new DsqlClientFactory(options, _context.Host.DsqlHandler, environment: _context.Host.Environment);
        GetClusterResponse cluster;
        try
        {
            cluster = await factory.ForRegion(region).GetClusterAsync(identifier, cancellationToken);
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

        if (parse.GetValue(_json))
        {
            JsonOutput.Write(_context.Out, ClusterView.Json(cluster));
        }
        else
        {
            ClusterView.Write(Consoles.Create(_context.Out, _context.Host.IsTerminal), cluster);
        }

        return ExitCodes.Success;
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
