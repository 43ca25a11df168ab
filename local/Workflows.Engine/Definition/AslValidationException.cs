namespace Workflows.Engine.Definition;

/// <summary>One thing wrong with a definition, naming where it is.</summary>
public sealed record AslProblem(string? State, string? Field, string Message)
{
    public override string ToString() =>
        (State, Field) switch
        {
            (null, null) => Message,
            (null, _) => $"Field '{Field}': {Message}",
            (_, null) => $"State '{State}': {Message}",
            _ => $"State '{State}', field '{Field}': {Message}",
        };
}

/// <summary>A definition that cannot run: every problem found is listed, each naming its state and field.</summary>
public sealed class AslValidationException : Exception
{
    public AslValidationException() : this([]) { }

    public AslValidationException(string message) : this([new AslProblem(null, null, message)]) { }

    public AslValidationException(string message, Exception innerException) : base(message, innerException) => Problems = [new AslProblem(null, null, message)];

    public AslValidationException(IReadOnlyList<AslProblem> problems)
        : base("Invalid state machine definition:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p)))
    {
        Problems = problems;
    }

    public IReadOnlyList<AslProblem> Problems { get; }
}
