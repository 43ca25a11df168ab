using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Tasks;

/// <summary>The local "Lambda service": function names mapped to in-process handlers.</summary>
public sealed class LambdaFunctionRegistry
{
    private readonly Dictionary<string, LambdaHandlerLoader.Handler> _functions = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> FunctionNames => _functions.Keys;

    public void Register(string functionName, LambdaHandlerLoader.Handler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[functionName] = handler;
    }

    /// <summary>Registers a handler loaded by reflection from <paramref name="handlerString"/>.</summary>
    public void RegisterHandler(string functionName, string handlerString, string probingDirectory) =>
        Register(functionName, LambdaHandlerLoader.Load(handlerString, probingDirectory));

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
