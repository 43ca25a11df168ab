using System.Net;
using Amazon.Runtime;
using DsqlLocal;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;
using Workflows.Core.Tests.Fakes;

namespace Workflows.Core.Tests.Integration;

// Our client against our emulator, in-process, on one fake clock: two independent halves (AWSSDK.Core's
// signer against DSQL Local's own verifier) that must agree on the wire.
public sealed class DsqlClientAgainstDsqlLocalTests : IAsyncLifetime
{
    private const string Witness = "us-west-2";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    private readonly WatchedTime _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private DsqlLocalServer _server = null!;
    private DsqlClientFactory _factory = null!;

    public async Task InitializeAsync()
    {
        _server = await DsqlLocalServer.StartAsync(
            new DsqlLocalOptions { ProvisioningTime = TimeSpan.FromMinutes(10), DeletionTime = TimeSpan.FromMinutes(1), Seed = 1 },
            _time,
            inProcess: true);
        _factory = Factory(DsqlLocalDefaults.SecretAccessKey);
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _server.DisposeAsync();
    }

    private DsqlClientFactory Factory(string secret) => new(
        new DsqlClientOptions
        {
            ServiceUrl = _server.BaseAddress,
            Credentials = new BasicAWSCredentials(DsqlLocalDefaults.AccessKeyId, secret),
            RequestTimeout = RequestTimeout,
            RandomSeed = 3,
        },
        _server.CreateHandler(),
        _time,
        environment: _ => null);

    [Fact]
    public async Task MultiRegionPair_HappyPath_LinksProvisionsAndRetires()
    {
        var east1 = _factory.ForRegion("us-east-1");
        var east2 = _factory.ForRegion("us-east-2");

        var primary = await east1.CreateClusterAsync(new CreateClusterRequest
        {
            ClientToken = "exec-1/create-primary",
            Tags = new Dictionary<string, string> { ["Name"] = "orders" },
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = Witness },
        });
        primary.Identifier.Should().MatchRegex("^[a-z0-9]{26}$");
        primary.Arn.Should().Be($"arn:aws:dsql:us-east-1:123456789012:cluster/{primary.Identifier}");
        primary.DeletionProtectionEnabled.Should().BeTrue("the model's default");

        _time.Advance(TimeSpan.FromHours(6));
        (await east1.GetClusterAsync(primary.Identifier)).Status.Should().Be(ClusterStatus.PendingSetup, "no timer drives a half-made pair out of PENDING_SETUP");

        var peer = await east2.CreateClusterAsync(new CreateClusterRequest
        {
            ClientToken = "exec-1/create-peer",
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = Witness, Clusters = [primary.Arn] },
        });
        await east1.UpdateClusterAsync(new UpdateClusterRequest
        {
            Identifier = primary.Identifier,
            ClientToken = "exec-1/link",
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = Witness, Clusters = [peer.Arn] },
        });

        (await east1.GetClusterAsync(primary.Identifier)).Status.Should().Be(ClusterStatus.Creating);
        (await east2.GetClusterAsync(peer.Identifier)).Status.Should().Be(ClusterStatus.Creating);
        _time.Advance(TimeSpan.FromMinutes(10));

        var p = await east1.GetClusterAsync(primary.Identifier);
        var q = await east2.GetClusterAsync(peer.Identifier);
        p.Status.Should().Be(ClusterStatus.Active);
        q.Status.Should().Be(ClusterStatus.Active);
        // The service lists the cluster's own ARN too (FACTS), in no documented order.
        p.MultiRegionProperties!.Clusters.Should().BeEquivalentTo([primary.Arn, peer.Arn]);
        q.MultiRegionProperties!.Clusters.Should().BeEquivalentTo([primary.Arn, peer.Arn]);
        p.MultiRegionProperties.WitnessRegion.Should().Be(Witness);
        p.Endpoint.Should().Be($"{primary.Identifier}.dsql.us-east-1.on.aws");
        p.Tags.Should().Contain("Name", "orders");

        var protectedDelete = () => east1.DeleteClusterAsync(new DeleteClusterRequest { Identifier = primary.Identifier });
        (await protectedDelete.Should().ThrowAsync<ValidationException>()).Which.Reason.Should().Be(ValidationExceptionReason.DeletionProtectionEnabled);

        await east1.UpdateClusterAsync(new UpdateClusterRequest { Identifier = primary.Identifier, DeletionProtectionEnabled = false });
        await east2.UpdateClusterAsync(new UpdateClusterRequest { Identifier = peer.Identifier, DeletionProtectionEnabled = false });

        (await east1.DeleteClusterAsync(new DeleteClusterRequest { Identifier = primary.Identifier, ClientToken = "exec-2/delete-primary" }))
            .Status.Should().Be(ClusterStatus.PendingDelete);
        (await east2.DeleteClusterAsync(new DeleteClusterRequest { Identifier = peer.Identifier, ClientToken = "exec-2/delete-peer" }))
            .Status.Should().Be(ClusterStatus.Deleting);
        (await east1.GetClusterAsync(primary.Identifier)).Status.Should().Be(ClusterStatus.Deleting);

        _time.Advance(TimeSpan.FromMinutes(1));
        var gone = () => east1.GetClusterAsync(primary.Identifier);
        (await gone.Should().ThrowAsync<ResourceNotFoundException>()).Which.ResourceId.Should().Be(primary.Identifier);
        _server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task CreateClusterAsync_SameClientTokenTwice_MakesOneCluster()
    {
        var client = _factory.ForRegion("eu-west-1");
        var request = new CreateClusterRequest { ClientToken = "exec-7/create-primary", MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "eu-west-3" } };

        var first = await client.CreateClusterAsync(request);
        var second = await client.CreateClusterAsync(request);

        second.Identifier.Should().Be(first.Identifier);
        _server.GetClusters().Should().ContainSingle();

        var reuse = () => client.CreateClusterAsync(request with { DeletionProtectionEnabled = false });
        await reuse.Should().ThrowAsync<ConflictException>();
    }

    [Fact]
    public async Task CreateClusterAsync_WitnessIsOwnRegion_ValidationExceptionNamesTheField()
    {
        var act = () => _factory.ForRegion("us-east-1").CreateClusterAsync(new CreateClusterRequest
        {
            MultiRegionProperties = new MultiRegionProperties { WitnessRegion = "us-east-1" },
        });

        var ex = (await act.Should().ThrowAsync<ValidationException>()).Which;
        ex.Reason.Should().Be(ValidationExceptionReason.FieldValidationFailed);
        ex.FieldList.Should().ContainSingle().Which.Name.Should().Be("multiRegionProperties.witnessRegion");
        _server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task TagOperations_ArnInThePath_SignaturesAgreeAndTagsRoundTrip()
    {
        var client = _factory.ForRegion("ap-northeast-1");
        var cluster = await client.CreateClusterAsync(new CreateClusterRequest());

        await client.TagResourceAsync(new TagResourceRequest { ResourceArn = cluster.Arn, Tags = new Dictionary<string, string> { ["cost center"] = "a/b:c+d=e@f", ["env"] = "dev" } });
        await client.UntagResourceAsync(new UntagResourceRequest { ResourceArn = cluster.Arn, TagKeys = ["env"] });

        var tags = await client.ListTagsForResourceAsync(cluster.Arn);
        tags.Tags.Should().BeEquivalentTo(new Dictionary<string, string> { ["cost center"] = "a/b:c+d=e@f" });
    }

    [Fact]
    public async Task ListAllClustersAsync_MoreThanOnePage_SeesEveryCluster()
    {
        var client = _factory.ForRegion("ca-central-1");
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await client.CreateClusterAsync(new CreateClusterRequest())).Identifier);
        }

        var listed = new List<string>();
        await foreach (var summary in client.ListAllClustersAsync(pageSize: 2))
        {
            listed.Add(summary.Identifier);
        }

        listed.Should().Equal(created);
    }

    [Fact]
    public async Task GetClusterAsync_WrongSecret_RefusedWithTheServicesSignatureError()
    {
        using var wrong = Factory("not-the-secret");
        var act = () => wrong.ForRegion("us-east-1").GetClusterAsync("abcdefghijklmnopqrstuvwxyz");

        var ex = (await act.Should().ThrowAsync<DsqlServiceException>()).Which;
        ex.ErrorCode.Should().Be("InvalidSignatureException");
        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task CreateClusterAsync_AlwaysThrottled_RetriesThreeTimesHonouringRetryAfterAndCreatesNothing()
    {
        _server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "CreateCluster", ThrottleRate = 1.0, RetryAfterSeconds = 2 }] };
        var call = _factory.ForRegion("us-east-1").CreateClusterAsync(new CreateClusterRequest { ClientToken = "exec-9/create-primary" });

        for (var retry = 0; retry < 2; retry++)
        {
            var delay = await _time.NextTimerAsync(ignore: RequestTimeout);
            delay.Should().Be(TimeSpan.FromSeconds(2));
            _time.Advance(delay);
        }

        (await call.Invoking(c => c).Should().ThrowAsync<ThrottlingException>()).Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        _server.GetClusters().Should().BeEmpty();
    }

    [Fact]
    public async Task GetClusterAsync_InternalErrorThenHealthy_RetriedToSuccess()
    {
        var client = _factory.ForRegion("us-east-1");
        var cluster = await client.CreateClusterAsync(new CreateClusterRequest());
        _server.Faults = new FaultSettings { Rules = [new FaultRule { Operation = "GetCluster", InternalErrorRate = 1.0 }] };

        var call = client.GetClusterAsync(cluster.Identifier);
        var delay = await _time.NextTimerAsync(ignore: RequestTimeout);
        _server.Faults = FaultSettings.None;
        _time.Advance(delay);

        (await call).Identifier.Should().Be(cluster.Identifier);
    }
}
