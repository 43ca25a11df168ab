using System.Text.Json.Serialization;
using Workflows.Core.Hosting;

namespace Workflows.Functions.Tests.Runtime;

public sealed record EchoInput
{
    public string? Text { get; init; }

    /// <summary>Answer with this many bytes of text (to cross Lambda's response limit).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Wait on the cancellation token (the invocation's budget) instead of answering.</summary>
    public bool Hang { get; init; }
}

public sealed record EchoOutput(string Text);

[JsonSerializable(typeof(EchoInput))]
[JsonSerializable(typeof(EchoOutput))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class EchoJsonContext : JsonSerializerContext;

/// <summary>A test step for what no real step can be made to do: answer 6 MB, or hang until its budget ends.</summary>
internal sealed class EchoStep(TimeProvider time) : IStep<EchoInput, EchoOutput>
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static StepDefinition Definition(EchoStep step) =>
        StepDefinition.Of("Echo", (_, _) => step, EchoJsonContext.Default.EchoInput, EchoJsonContext.Default.EchoOutput);

    public async Task<EchoOutput> RunAsync(EchoInput input, CancellationToken cancellationToken = default)
    {
        Started.TrySetResult();
        if (input.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, time, cancellationToken);
        }

        return new EchoOutput(string.Concat(Enumerable.Repeat(input.Text ?? string.Empty, input.Repeat)));
    }
}
