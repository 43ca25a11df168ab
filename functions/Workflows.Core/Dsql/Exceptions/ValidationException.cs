using System.Net;

namespace Workflows.Core.Dsql.Exceptions;

/// <summary>HTTP 400 with the model's reason (see <see cref="ValidationExceptionReason"/>) and the fields at fault.</summary>
public sealed class ValidationException : DsqlServiceException
{
    public ValidationException(string message, string reason, IReadOnlyList<ValidationExceptionField>? fieldList, string? requestId = null)
        : base(nameof(ValidationException), message, HttpStatusCode.BadRequest, requestId)
    {
        Reason = reason;
        FieldList = fieldList ?? [];
    }

    public string Reason { get; }

    public IReadOnlyList<ValidationExceptionField> FieldList { get; }

    public override bool IsRetryable => false;
}
