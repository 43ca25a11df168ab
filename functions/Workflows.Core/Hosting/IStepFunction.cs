namespace Workflows.Core.Hosting;

/// <summary>
/// A step ready to be invoked the way Lambda invokes a function: a JSON payload stream in, a JSON stream out, or
/// an exception whose short type name is the error the state machines catch. The Lambda bootstrap and the local
/// engine's in-process mode both call this.
/// </summary>
public interface IStepFunction
{
    string Name { get; }

    Task<Stream> InvokeAsync(Stream input, InvocationContext context, CancellationToken cancellationToken = default);
}
