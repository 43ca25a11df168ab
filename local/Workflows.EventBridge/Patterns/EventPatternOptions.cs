namespace Workflows.EventBridge.Patterns;

/// <summary>Limits a pattern is validated against. The defaults are the documented ones unless marked Inferred.</summary>
public sealed record EventPatternOptions
{
    public static EventPatternOptions Default { get; } = new();

    /// <summary>
    /// Numeric matching "is limited to values between -5.0e9 and +5.0e9 inclusive" (content filtering page,
    /// "Numeric matching"); numbers given to <c>numeric</c> outside it are refused.
    /// </summary>
    public decimal NumericLimit { get; init; } = 5_000_000_000m;

    /// <summary>"... or six digits to the right of the decimal point" (same paragraph).</summary>
    public int NumericDecimalPlaces { get; init; } = 6;

    /// <summary>
    /// "will throw an InvalidEventPatternException if the use of $or results in over 1000 rule combinations"
    /// (content filtering page, "Complex example with $or matching").
    /// </summary>
    public int MaxOrCombinations { get; init; } = 1000;

    /// <summary>
    /// Inferred: the documentation warns that patterns with many wildcards are refused as too complex without giving
    /// a number; this many <c>*</c> in one wildcard value is the local bound.
    /// </summary>
    public int MaxWildcardsPerValue { get; init; } = 25;

    /// <summary>Inferred: the documentation does not bound nesting; this keeps a hostile pattern from recursing deeply.</summary>
    public int MaxDepth { get; init; } = 64;
}
