using Amazon.Runtime;
using Workflows.Core.Dsql;
using Workflows.Core.Tests.Fakes;

namespace Workflows.Core.Tests.Dsql;

public abstract class ClientTestBase : IDisposable
{
    internal static readonly DateTimeOffset Start = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    internal static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    internal ScriptedHandler Handler { get; } = new();

    internal WatchedTime Time { get; } = new(Start);

    private readonly List<IDisposable> _disposables = [];

    internal DsqlClient Client(int seed = 7, AWSCredentials? credentials = null, int maxAttempts = 3, TimeSpan? maxRetryAfter = null)
    {
        var options = new DsqlClientOptions
        {
            ServiceUrl = new Uri("http://dsql.test:8787"),
            Credentials = credentials ?? new BasicAWSCredentials("AKIDTEST", "secret"),
            RandomSeed = seed,
            MaxAttempts = maxAttempts,
            RequestTimeout = RequestTimeout,
            MaxRetryAfter = maxRetryAfter ?? TimeSpan.FromSeconds(20),
        };
        var http = new HttpClient(Handler, disposeHandler: false);
        var client = new DsqlClient("us-east-1", options, http, Time, environment: _ => null);
        _disposables.Add(http);
        _disposables.Add(client);
        return client;
    }

    internal const string ClusterJson = """
        {"identifier":"abcdefghijklmnopqrstuvwxyz","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz",
         "status":"ACTIVE","creationTime":1764158400.123,"deletionProtectionEnabled":true,
         "multiRegionProperties":{"witnessRegion":"us-west-2","clusters":["arn:aws:dsql:us-east-2:123456789012:cluster/zyxwvutsrqponmlkjihgfedcba"]},
         "tags":{"team":"platform"},"encryptionDetails":{"encryptionType":"AWS_OWNED_KMS_KEY","encryptionStatus":"ENABLED"},
         "endpoint":"abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws"}
        """;

    internal const string StatusJson = """
        {"identifier":"abcdefghijklmnopqrstuvwxyz","arn":"arn:aws:dsql:us-east-1:123456789012:cluster/abcdefghijklmnopqrstuvwxyz","status":"DELETING","creationTime":1764158400}
        """;

    public void Dispose()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        Handler.Dispose();
        GC.SuppressFinalize(this);
    }
}
