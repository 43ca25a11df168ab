using System.Net;
using Amazon.Runtime;
using DsqlLocal.Faults;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace DsqlLocal.Tests;

/// <summary>CreateInlineHandler: the same wire behaviour as the server, run on the caller's thread.</summary>
#pragma warning disable CA1001 // Disposed by xunit through IAsyncLifetime, like the other in-process suites.
public sealed class InlineHandlerTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private DsqlLocalServer _server = null!;
    private HttpMessageHandler _handler = null!;
    private DsqlClientFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.FromMinutes(10), DeletionTime = TimeSpan.FromMinutes(1), Seed = 1 },
            _time,
            inProcess: true);
        _handler = _server.CreateInlineHandler();
        _factory = new DsqlClientFactory(
            new DsqlClientOptions
            {
                ServiceUrl = _server.BaseAddress,
                Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey),
                MaxAttempts = 1,
            },
            _handler,
            _time,
            environment: _ => null);
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        _handler.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task SendAsync_PairLinkedThroughTheClient_ProvisionsAsOverTheServer()
    {
        var primary = await _factory.ForRegion("us-east-1").CreateClusterAsync(new CreateClusterRequest { MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2" } });
        var peer = await _factory.ForRegion("us-east-2").CreateClusterAsync(new CreateClusterRequest
        {
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2", Clusters = [primary.Arn] },
        });
        await _factory.ForRegion("us-east-1").UpdateClusterAsync(new UpdateClusterRequest
        {
            Identifier = primary.Identifier,
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-west-2", Clusters = [peer.Arn] },
        });

        _time.Advance(TimeSpan.FromMinutes(10));

        (await _factory.ForRegion("us-east-1").GetClusterAsync(primary.Identifier)).Status.Should().Be(ClusterStatus.Active);
        (await _factory.ForRegion("us-east-2").GetClusterAsync(peer.Identifier)).Status.Should().Be(ClusterStatus.Active);
    }

    [Fact]
    public async Task SendAsync_ArnInThePath_SignatureAgreesOnTheRawTarget()
    {
        var client = _factory.ForRegion("eu-west-1");
        var cluster = await client.CreateClusterAsync(new CreateClusterRequest());

        await client.TagResourceAsync(new TagResourceRequest { ResourceArn = cluster.Arn, Tags = new Dictionary<string, string> { ["cost center"] = "a/b:c+d=e@f" } });

        (await client.ListTagsForResourceAsync(cluster.Arn)).Tags.Should().ContainKey("cost center").WhoseValue.Should().Be("a/b:c+d=e@f");
    }

    [Fact]
    public async Task SendAsync_ServiceError_HeadersAndBodyReachTheClient()
    {
        var act = () => _factory.ForRegion("us-east-1").CreateClusterAsync(new CreateClusterRequest { MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-east-1" } });

        var error = (await act.Should().ThrowAsync<ValidationException>()).Which;
        error.ErrorCode.Should().Be("ValidationException");
        error.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task SendAsync_NoFaults_CompletesBeforeReturning()
    {
        using var http = new HttpClient(_handler, disposeHandler: false);

        var call = http.GetAsync(new Uri(_server.BaseAddress, "cluster"));

        call.IsCompleted.Should().BeTrue("nothing in the pipeline waits without a fault");
        (await call).StatusCode.Should().Be(HttpStatusCode.Forbidden, "the request is unsigned");
    }

    [Fact]
    public async Task SendAsync_LatencyFault_WaitsOnTheEmulatorsClockOnly()
    {
        _server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "ListClusters", LatencyMs = 5000 }] };

        var call = _factory.ForRegion("us-east-1").ListClustersAsync(new ListClustersRequest());
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(4999));
        call.IsCompleted.Should().BeFalse();
        _time.Advance(TimeSpan.FromMilliseconds(1));

        (await call).Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task SendAsync_CancelledDuringLatency_Cancelled()
    {
        _server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "GetCluster", LatencyMs = 5000 }] };
        using var cancel = new CancellationTokenSource();

        var call = _factory.ForRegion("us-east-1").GetClusterAsync("abcdefghijklmnopqrstuvwxyz", cancel.Token);
        call.IsCompleted.Should().BeFalse();
        await cancel.CancelAsync();

        await call.Invoking(c => c).Should().ThrowAsync<OperationCanceledException>();
    }
}
#pragma warning restore CA1001
