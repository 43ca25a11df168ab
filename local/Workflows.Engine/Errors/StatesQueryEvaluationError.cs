using System.Globalization;

namespace Workflows.Engine.Errors;

/// <summary>
/// States.QueryEvaluationError: a JSONata expression failed, returned nothing (undefined) or a value of the wrong
/// type. Unlike States.Runtime it can be retried and caught (AWS documents it among the catchable errors). Its cause
/// carries AWS's prefix naming the state and its …StateEntered event id, as recorded.
/// </summary>
public sealed class StatesQueryEvaluationError : StatesException
{
    public const string Name = "States.QueryEvaluationError";

    public StatesQueryEvaluationError() : base(Name, (string?)null) { }

    public StatesQueryEvaluationError(string message) : base(Name, message) { }

    public StatesQueryEvaluationError(string message, Exception innerException) : base(Name, message, innerException) { }

    internal static StatesQueryEvaluationError At(string stateName, long enteredEventId, string detail) =>
        new(string.Create(CultureInfo.InvariantCulture, $"An error occurred while executing the state '{stateName}' (entered at the event id #{enteredEventId}). {detail}"));
}
