using System.Net;
using Workflows.Core.Dsql;
using Workflows.Core.Tests.Fakes;

namespace Workflows.Core.Tests.Dsql;

[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;

// The default chain reads the process environment, so these tests own it while they run.
[Collection(nameof(ProcessEnvironment))]
public class DsqlClientCredentialChainTests
{
    [Fact]
    public async Task GetClusterAsync_NoCredentialsGiven_SignsWithTheDefaultChainsEnvironmentCredentials()
    {
        var saved = (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIAFROMENVIRONMENT");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "env-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "env-token");
        try
        {
            using var handler = new ScriptedHandler();
            handler.Respond(HttpStatusCode.OK, ClientTestBase.ClusterJson);
            using var http = new HttpClient(handler, disposeHandler: false);
            using var client = new DsqlClient("eu-west-1", new DsqlClientOptions { ServiceUrl = new Uri("http://dsql.test") }, http, environment: _ => null);

            await client.GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

            var headers = handler.Requests.Single().Headers;
            headers["Authorization"].Should().Contain("Credential=AKIAFROMENVIRONMENT/").And.Contain("/eu-west-1/dsql/aws4_request");
            headers["X-Amz-Security-Token"].Should().Be("env-token");
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", saved.Item1);
            Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", saved.Item2);
            Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", saved.Item3);
        }
    }
}
