using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Tasks;

/// <summary>The local "Lambda service": function names mapped to in-process handlers.</summary>
public sealed class LambdaFunctionRegistry
{
    private readonly Dictionary<string, LambdaHandlerLoader.Handler> _functions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> FunctionNames => _functions.Keys;

    /// <summary>
    /// Creates the instances of handler types loaded by <see cref="RegisterHandler"/>: given the type, returns the
    /// instance, or null to fall back to the public parameterless constructor. Null (the default) always uses that
    /// constructor, as the Lambda runtime does; a host sets it to hand functions their test constructor's
    /// dependencies (a client bound to an in-process emulator, the engine's virtual clock, a logger).
    /// </summary>
    public Func<Type, object?>? Activator { get; init; }

    /// <summary>
    /// True when every handler here runs in-process, does no real I/O and waits only on the engine's clock (for
    /// example functions whose DSQL client talks to an in-process emulator through a synchronous handler). Their
    /// invocations then run on the execution's thread and do not hold virtual time still, so a wait inside a
    /// handler (a client's retry backoff) is a timer like any other and virtual time jumps to its end. False (the
    /// default): handlers run on the thread pool and may do real I/O, so virtual time holds still until they
    /// return, and a handler that waited on the virtual clock would never wake.
    /// </summary>
    public bool InlineHandlers { get; init; }

    public void Register(string functionName, LambdaHandlerLoader.Handler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[functionName] = handler;
    }

    /// <summary>Registers a handler loaded by reflection from <paramref name="handlerString"/>.</summary>
    public void RegisterHandler(string functionName, string handlerString, string probingDirectory) =>
        Register(functionName, LambdaHandlerLoader.Load(handlerString, probingDirectory, Activator));

    /// <summary>Registers a JSON-in, JSON-out function, handy for tests and scripted demos.</summary>
    public void Register(string functionName, Func<JsonNode?, CancellationToken, Task<JsonNode?>> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Register(functionName, async (payload, ct) =>
        {
            using var reader = new StreamReader(payload, Encoding.UTF8);
            var text = await reader.ReadToEndAsync(ct);
            var result = await function(text.Length == 0 ? null : JsonNode.Parse(text), ct);
            return new MemoryStream(Encoding.UTF8.GetBytes(result?.ToJsonString() ?? "null"));
        });
    }

    /// <summary>Finds a function by name, full ARN or partial ARN (<c>123456789012:function:Name</c>), qualifier ignored.</summary>
    public bool TryResolve(string functionNameOrArn, out string functionName, out LambdaHandlerLoader.Handler? handler)
    {
        ArgumentNullException.ThrowIfNull(functionNameOrArn);
        functionName = NameOf(functionNameOrArn);
        return _functions.TryGetValue(functionName, out handler);
    }

    internal static string NameOf(string functionNameOrArn)
    {
        var parts = functionNameOrArn.Split(':');
        var i = Array.IndexOf(parts, "function");
        return i >= 0 && i + 1 < parts.Length ? parts[i + 1] : parts[0];
    }
}
