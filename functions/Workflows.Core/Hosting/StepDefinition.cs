using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace Workflows.Core.Hosting;

/// <summary>
/// A step as a function: its name, how to build its logic from <see cref="StepServices"/> and the contracts of
/// its payloads. <see cref="Workflows.Core.Steps.StepCatalog"/> lists the ten; each <c>functions/&lt;Step&gt;</c>
/// project names one of them.
/// </summary>
public sealed class StepDefinition
{
    private readonly Func<StepServices, IStepFunction> _create;

    private StepDefinition(string name, Type input, Type output, Func<StepServices, IStepFunction> create)
    {
        Name = name;
        InputType = input;
        OutputType = output;
        _create = create;
    }

    public string Name { get; }

    /// <summary>The input record (what a Task state's Parameters must fit).</summary>
    public Type InputType { get; }

    /// <summary>The output record (what later states may read from the result).</summary>
    public Type OutputType { get; }

    /// <summary>The JSON contract of the input record.</summary>
    public JsonTypeInfo InputContract { get; private init; } = null!;

    /// <summary>The JSON contract of the output record.</summary>
    public JsonTypeInfo OutputContract { get; private init; } = null!;

    public static StepDefinition Of<TInput, TOutput>(
        string name,
        Func<StepServices, ILogger, IStep<TInput, TOutput>> build,
        JsonTypeInfo<TInput> input,
        JsonTypeInfo<TOutput> output)
        where TInput : class
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        return new StepDefinition(name, typeof(TInput), typeof(TOutput), services =>
        {
            // One built function is one execution environment: its first invocation is its cold start.
            var logger = services.Loggers.CreateLogger(name);
            return new StepFunction<TInput, TOutput>(name, build(services, logger), new StepHost(name, logger, coldStart: new ColdStartTracker(), time: services.Time, budget: services.Budget), input, output);
        })
        {
            InputContract = input,
            OutputContract = output,
        };
    }

    /// <summary>Builds the step on <paramref name="services"/>: once per process on Lambda, once per run locally.</summary>
    public IStepFunction Create(StepServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return _create(services);
    }

    public override string ToString() => Name;

    private sealed class StepFunction<TInput, TOutput>(
        string name,
        IStep<TInput, TOutput> step,
        StepHost host,
        JsonTypeInfo<TInput> input,
        JsonTypeInfo<TOutput> output) : IStepFunction
        where TInput : class
    {
        public string Name => name;

        public Task<Stream> InvokeAsync(Stream payload, InvocationContext context, CancellationToken cancellationToken = default) =>
            host.InvokeAsync(payload, context, input, output, step.RunAsync, cancellationToken);
    }
}
