using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Workflows.Jsonata.Tests;

/// <summary>Small helpers: evaluate an expression on JSON text and get the result as compact JSON ("undefined" when none).</summary>
internal static class Eval
{
    // Keeps "+" and non-ASCII readable in expected strings; quotes and backslashes are still escaped.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly DateTimeOffset FixedNow = new(2026, 12, 3, 14, 2, 7, 123, TimeSpan.Zero);

    public static string Run(string expression, string? inputJson = null, JsonataOptions? options = null, IReadOnlyDictionary<string, JsonNode?>? bindings = null)
    {
        options ??= new JsonataOptions { TimeProvider = new FakeTimeProvider(FixedNow), RandomSeed = 1 };
        var e = JsonataExpression.Parse(expression);
        var defined = inputJson is null
            ? e.TryEvaluateUndefined(bindings, options, out var result)
            : e.TryEvaluate(JsonNode.Parse(inputJson), bindings, options, out result);
        return defined ? result?.ToJsonString(Relaxed) ?? "null" : "undefined";
    }

    public static JsonataException Error(string expression, string? inputJson = null, JsonataOptions? options = null)
    {
        try
        {
            Run(expression, inputJson, options);
        }
        catch (JsonataException ex)
        {
            return ex;
        }

        throw new InvalidOperationException($"'{expression}' evaluated without an error");
    }
}
