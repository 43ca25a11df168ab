using System.Globalization;

namespace Workflows.Engine.Errors;

/// <summary>States.Runtime: an execution-level fault (bad path on a payload, missing Choice variable); never retried or caught.</summary>
public sealed class StatesRuntime : StatesException
{
    public StatesRuntime() : base(ErrorNames.Runtime, (string?)null) { }

    public StatesRuntime(string message) : base(ErrorNames.Runtime, message) { }

    public StatesRuntime(string message, Exception innerException) : base(ErrorNames.Runtime, message, innerException) { }

    /// <summary>True once the cause names the state it happened in (so an enclosing state does not name itself too).</summary>
    public bool Located { get; private init; }

    /// <summary>
    /// The same fault with AWS's cause wording, which names the state and the id of its …StateEntered event:
    /// "An error occurred while executing the state 'X' (entered at the event id #N). …" (recorded on AWS).
    /// </summary>
    public StatesRuntime Locate(string stateName, long enteredEventId) =>
        Located
            ? this
            : new StatesRuntime(
                string.Create(CultureInfo.InvariantCulture, $"An error occurred while executing the state '{stateName}' (entered at the event id #{enteredEventId}). {Cause}"),
                this)
            { Located = true };

    public override StatesException AsBranchFailure() => new(Error, Cause) { FromBranch = true };
}
