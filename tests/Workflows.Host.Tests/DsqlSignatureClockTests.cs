using Amazon.Runtime;
using DsqlLocal;
using Microsoft.Extensions.Time.Testing;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Host.Tests;

/// <summary>
/// Serve's embedded emulator runs on the served clock (virtual or scaled) and listens for outside clients: requests
/// through its inline handler (the in-process functions, signing with the served clock) are checked against that
/// clock, socket requests (the AWS CLI, SDKs, signing with the wall clock) against the wall clock.
/// </summary>
public sealed class DsqlSignatureClockTests
{
    private static readonly BasicAWSCredentials Keys = new(DsqlLocalDefaults.AccessKeyId, DsqlLocalDefaults.SecretAccessKey);

    [Fact]
    public async Task ListClusters_InlineSignedWithServedClockSocketWithWallClock_BothAccepted()
    {
        var (served, server) = await StartAsync();
        await using var _ = server;
        using var inline = Factory(server, server.CreateInlineHandler(), served);
        using var socket = Factory(server, handler: null, TimeProvider.System);

        var viaInline = await inline.ForRegion("us-east-1").ListClustersAsync(new ListClustersRequest(), CancellationToken.None);
        var viaSocket = await socket.ForRegion("us-east-1").ListClustersAsync(new ListClustersRequest(), CancellationToken.None);

        viaInline.Clusters.Should().BeEmpty();
        viaSocket.Clusters.Should().BeEmpty();
    }

    [Fact]
    public async Task ListClusters_SocketSignedWithTheServedClockAnHourAhead_InvalidSignature()
    {
        var (served, server) = await StartAsync();
        await using var _ = server;
        using var socket = Factory(server, handler: null, served);

        var call = () => socket.ForRegion("us-east-1").ListClustersAsync(new ListClustersRequest(), CancellationToken.None);

        (await call.Should().ThrowAsync<DsqlServiceException>()).Which.ErrorCode.Should().Be("InvalidSignatureException");
    }

    [Fact]
    public async Task ListClusters_InlineSignedWithTheWallClock_InvalidSignature()
    {
        var (_, server) = await StartAsync();
        await using var __ = server;
        using var inline = Factory(server, server.CreateInlineHandler(), TimeProvider.System);

        var call = () => inline.ForRegion("us-east-1").ListClustersAsync(new ListClustersRequest(), CancellationToken.None);

        (await call.Should().ThrowAsync<DsqlServiceException>()).Which.ErrorCode.Should().Be("InvalidSignatureException");
    }

    /// <summary>The emulator on a served clock an hour ahead of the wall, listening on loopback, signatures of socket clients on the wall clock.</summary>
    private static async Task<(FakeTimeProvider Served, DsqlLocalServer Server)> StartAsync()
    {
        var served = new FakeTimeProvider(TimeProvider.System.GetUtcNow() + TimeSpan.FromHours(1));
        var server = await DsqlLocalServer.StartAsync(new DsqlLocalOptions { Host = "127.0.0.1", Port = 0, SignatureClock = TimeProvider.System }, served);
        return (served, server);
    }

    // One attempt: a refused signature is answered at once, and no retry waits on the fake clock.
    private static DsqlClientFactory Factory(DsqlLocalServer server, HttpMessageHandler? handler, TimeProvider clock) =>
        new(new DsqlClientOptions { ServiceUrl = server.BaseAddress, Credentials = Keys, MaxAttempts = 1 }, handler, clock, null, _ => null);
}
