using System.Globalization;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Jsonata;

/// <summary>Integer fields of JSONata states (TimeoutSeconds, HeartbeatSeconds, MaxConcurrency, Seconds...).</summary>
internal static class JsonataInteger
{
    /// <summary>The field's value, or null when the field is absent.</summary>
    /// <exception cref="Errors.StatesQueryEvaluationError">The value is not an integer of at least <paramref name="min"/>.</exception>
    public static int? Read(JsonataTemplate? template, JsonataScope scope, string field, int min)
    {
        if (template is null)
        {
            return null;
        }

        var value = template.Evaluate(scope);
        if (JsonValues.TryGetNumber(value, out var d) && d == decimal.Truncate(d) && d >= min && d <= int.MaxValue)
        {
            return (int)d;
        }

        // Inferred wording: AWS's cause for a value of the wrong type is recorded only for Items (an array).
        throw scope.Fail(string.Create(CultureInfo.InvariantCulture,
            $"The JSONata expression '{template.ExpressionText}' specified for the field '{field}' returned an unexpected result type. Expected an integer >= {min}, but was: {JsonValues.ToJson(value)}"));
    }

    /// <summary>A number field (ToleratedFailurePercentage), or null when absent.</summary>
    public static decimal? ReadNumber(JsonataTemplate? template, JsonataScope scope, string field, decimal min, decimal max)
    {
        if (template is null)
        {
            return null;
        }

        var value = template.Evaluate(scope);
        if (JsonValues.TryGetNumber(value, out var d) && d >= min && d <= max)
        {
            return d;
        }

        throw scope.Fail(string.Create(CultureInfo.InvariantCulture,
            $"The JSONata expression '{template.ExpressionText}' specified for the field '{field}' returned an unexpected result type. Expected a number between {min} and {max}, but was: {JsonValues.ToJson(value)}"));
    }
}
