using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workflows.EventBridge.Targets;

/// <summary>
/// A target's RetryPolicy. Defaults are EventBridge's ("retries sending the event for 24 hours and up to 185 times");
/// the bounds are the API's (0 to 185 attempts, 60 to 86400 seconds).
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    public RetryPolicy(int maximumRetryAttempts = 185, int maximumEventAgeInSeconds = 86400)
    {
        if (maximumRetryAttempts is < 0 or > 185)
        {
            throw new FormatException($"RetryPolicy.MaximumRetryAttempts: {maximumRetryAttempts} is outside 0 to 185");
        }

        if (maximumEventAgeInSeconds is < 60 or > 86400)
        {
            throw new FormatException($"RetryPolicy.MaximumEventAgeInSeconds: {maximumEventAgeInSeconds} is outside 60 to 86400");
        }

        MaximumRetryAttempts = maximumRetryAttempts;
        MaximumEventAgeInSeconds = maximumEventAgeInSeconds;
    }

    public int MaximumRetryAttempts { get; }

    public int MaximumEventAgeInSeconds { get; }
}

/// <summary>A rule's target: where matched events go and what input they carry (Input, InputPath or InputTransformer, at most one).</summary>
public sealed partial record RuleTarget
{
    /// <exception cref="FormatException">A field breaks the API's rules; the message names it.</exception>
    public RuleTarget(
        string id,
        string arn,
        string? input = null,
        string? inputPath = null,
        InputTransformer? inputTransformer = null,
        RetryPolicy? retryPolicy = null,
        string? deadLetterArn = null)
    {
        if (string.IsNullOrEmpty(id) || !IdPattern().IsMatch(id))
        {
            throw new FormatException($"Target.Id: '{id}' must be 1 to 64 of A-Z, a-z, 0-9, '.', '-' and '_'");
        }

        if (string.IsNullOrEmpty(arn) || arn.Length > 1600)
        {
            throw new FormatException($"Target {id}: Arn is required, at most 1600 characters");
        }

        if (new object?[] { input, inputPath, inputTransformer }.Count(x => x is not null) > 1)
        {
            throw new FormatException($"Target {id}: only one of Input, InputPath and InputTransformer may be given");
        }

        if (input is not null)
        {
            if (input.Length > 8192)
            {
                throw new FormatException($"Target {id}: Input is {input.Length} characters, over the limit of 8192");
            }

            try
            {
                _ = JsonNode.Parse(input);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new FormatException($"Target {id}: Input must be valid JSON text ({e.Message})", e);
            }
        }

        if (inputPath is not null)
        {
            if (inputPath.Length > 256)
            {
                throw new FormatException($"Target {id}: InputPath is {inputPath.Length} characters, over the limit of 256");
            }

            InputPathSelector = EventPath.Parse(inputPath, $"Target {id}: InputPath");
        }

        Id = id;
        Arn = arn;
        Input = input;
        InputPath = inputPath;
        InputTransformer = inputTransformer;
        RetryPolicy = retryPolicy ?? RetryPolicy.Default;
        DeadLetterArn = deadLetterArn;
    }

    public string Id { get; }

    public string Arn { get; }

    public string? Input { get; }

    public string? InputPath { get; }

    public InputTransformer? InputTransformer { get; }

    public RetryPolicy RetryPolicy { get; }

    /// <summary>The DeadLetterConfig's Arn (an SQS queue on AWS); null drops events whose delivery failed.</summary>
    public string? DeadLetterArn { get; }

    internal EventPath? InputPathSelector { get; }

    /// <summary>
    /// What the target receives for <paramref name="evt"/>: the whole event, the constant Input, the InputPath's value
    /// (Inferred: JSON null when the path selects nothing) or the transformer's output.
    /// </summary>
    public string RenderInput(JsonObject evt, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (Input is not null)
        {
            return Input;
        }

        if (InputTransformer is not null)
        {
            return InputTransformer.Transform(evt, context);
        }

        if (InputPathSelector is not null)
        {
            var value = InputPathSelector.Select(evt, out _);
            return value?.ToJsonString(JsonText.Options) ?? "null";
        }

        return evt.ToJsonString(JsonText.Options);
    }

    [GeneratedRegex(@"^[\.\-_A-Za-z0-9]{1,64}$")]
    private static partial Regex IdPattern();
}
