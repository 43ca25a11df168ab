using System.Net;
using Workflows.Core.Dsql;
using Workflows.Core.Dsql.Exceptions;

namespace Workflows.Core.Tests.Dsql;

// Each error shape of the model becomes the exception named after it, members included.
public class DsqlClientErrorTests : ClientTestBase
{
    private async Task<Exception> GetFails(HttpStatusCode status, string errorType, string body, params (string, string)[] headers)
    {
        Handler.RespondError(status, errorType, body, headers);
        var act = () => Client(maxAttempts: 1).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        return (await act.Should().ThrowAsync<Exception>()).Which;
    }

    [Fact]
    public async Task GetClusterAsync_ResourceNotFound_CarriesResourceIdAndType()
    {
        var ex = await GetFails(HttpStatusCode.NotFound, "ResourceNotFoundException", """{"message":"Cluster not found","resourceId":"abc","resourceType":"cluster"}""");
        var notFound = ex.Should().BeOfType<ResourceNotFoundException>().Which;
        notFound.Message.Should().Be("Cluster not found");
        notFound.ResourceId.Should().Be("abc");
        notFound.ResourceType.Should().Be("cluster");
        notFound.RequestId.Should().Be("req-1");
        notFound.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task GetClusterAsync_Validation_CarriesReasonAndFieldList()
    {
        var ex = await GetFails(HttpStatusCode.BadRequest, "ValidationException",
            """{"message":"1 validation error","reason":"fieldValidationFailed","fieldList":[{"name":"identifier","message":"bad"}]}""");
        var validation = ex.Should().BeOfType<ValidationException>().Which;
        validation.Reason.Should().Be(ValidationExceptionReason.FieldValidationFailed);
        validation.FieldList.Should().Equal(new ValidationExceptionField("identifier", "bad"));
    }

    [Fact]
    public async Task GetClusterAsync_Conflict_IsConflictException()
    {
        var ex = await GetFails(HttpStatusCode.Conflict, "ConflictException", """{"message":"busy","resourceId":"abc","resourceType":"cluster"}""");
        ex.Should().BeOfType<ConflictException>().Which.ResourceId.Should().Be("abc");
    }

    [Fact]
    public async Task GetClusterAsync_QuotaExceeded_CarriesQuotaMembers()
    {
        var ex = await GetFails(HttpStatusCode.PaymentRequired, "ServiceQuotaExceededException",
            """{"message":"quota","resourceId":"r","resourceType":"cluster","serviceCode":"dsql","quotaCode":"q-1"}""");
        var quota = ex.Should().BeOfType<ServiceQuotaExceededException>().Which;
        quota.ServiceCode.Should().Be("dsql");
        quota.QuotaCode.Should().Be("q-1");
        quota.IsRetryable.Should().BeFalse();
    }

    [Fact]
    public async Task GetClusterAsync_AccessDenied_IsAccessDeniedException()
    {
        var ex = await GetFails(HttpStatusCode.Forbidden, "AccessDeniedException", """{"message":"User is not authorized to perform: dsql:GetCluster"}""");
        ex.Should().BeOfType<AccessDeniedException>().Which.Message.Should().Contain("dsql:GetCluster");
    }

    [Fact]
    public async Task GetClusterAsync_ThrottlingOnLastAttempt_CarriesRetryAfter()
    {
        var ex = await GetFails(HttpStatusCode.TooManyRequests, "ThrottlingException", """{"message":"slow down","serviceCode":"dsql","quotaCode":"q"}""", ("Retry-After", "3"));
        var throttling = ex.Should().BeOfType<ThrottlingException>().Which;
        throttling.RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        throttling.IsRetryable.Should().BeTrue();
    }

    [Fact]
    public async Task GetClusterAsync_InternalServerError_IsRetryableInternalServerException()
    {
        var ex = await GetFails(HttpStatusCode.InternalServerError, "InternalServerException", """{"message":"oops"}""");
        ex.Should().BeOfType<InternalServerException>().Which.IsRetryable.Should().BeTrue();
    }

    [Fact]
    public async Task GetClusterAsync_UnknownErrorCode_KeepsTheServiceCodeAndMessage()
    {
        var ex = await GetFails(HttpStatusCode.Forbidden, "InvalidSignatureException", """{"message":"The request signature we calculated does not match"}""");
        var service = ex.Should().BeOfType<DsqlServiceException>().Which;
        service.ErrorCode.Should().Be("InvalidSignatureException");
        service.Message.Should().StartWith("The request signature");
        service.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task GetClusterAsync_CodeOnlyInBodyWithNamespace_StripsNamespace()
    {
        Handler.Respond(HttpStatusCode.Conflict, """{"__type":"com.amazonaws.dsql#ConflictException","Message":"upper-case message"}""");
        var act = () => Client(maxAttempts: 1).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        (await act.Should().ThrowAsync<ConflictException>()).Which.Message.Should().Be("upper-case message");
    }

    [Fact]
    public async Task GetClusterAsync_HeaderCodeWithCoralSuffix_UsesTheShapeName()
    {
        var ex = await GetFails(HttpStatusCode.NotFound, "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.dsql/", """{"message":"gone"}""");
        ex.Should().BeOfType<ResourceNotFoundException>();
    }

    [Fact]
    public async Task GetClusterAsync_HtmlFromAProxy_KeepsStatusAndBodyInMessage()
    {
        Handler.Respond(HttpStatusCode.BadGateway, "<html>bad gateway</html>");
        var act = () => Client(maxAttempts: 1).GetClusterAsync("abcdefghijklmnopqrstuvwxyz");
        var ex = (await act.Should().ThrowAsync<DsqlServiceException>()).Which;
        ex.ErrorCode.Should().Be("BadGateway");
        ex.Message.Should().Contain("502").And.Contain("bad gateway");
        ex.IsRetryable.Should().BeTrue();
    }

    [Fact]
    public async Task CreateClusterAsync_ConflictQuotingTheClientToken_TokenRedactedFromTheMessage()
    {
        const string token = "CreatePrimaryCluster-0f3c9a7d2b6e41c8a5d9e0b7c3f1a2d4e6b8c0f2";
        Handler.RespondError(HttpStatusCode.Conflict, "ConflictException",
            $$"""{"message":"Client token {{token}} was already used with a different request","resourceId":"abc","resourceType":"cluster"}""");

        var act = () => Client(maxAttempts: 1).CreateClusterAsync(new CreateClusterRequest { ClientToken = token });

        var conflict = (await act.Should().ThrowAsync<ConflictException>()).Which;
        conflict.Message.Should().NotContain(token).And.Be("Client token <clientToken> was already used with a different request");
    }

    [Fact]
    public async Task DeleteClusterAsync_UnparsableErrorBodyQuotingTheToken_TokenRedactedFromTheFallbackMessage()
    {
        const string token = "DeleteCluster-77aa";
        Handler.Respond(HttpStatusCode.Conflict, $"<html>token {token} in use</html>");

        var act = () => Client(maxAttempts: 1).DeleteClusterAsync(new DeleteClusterRequest { Identifier = "abcdefghijklmnopqrstuvwxyz", ClientToken = token });

        (await act.Should().ThrowAsync<ConflictException>()).Which.Message.Should().NotContain(token).And.Contain("<clientToken>");
    }
}
