using System.Text.Json.Nodes;
using Workflows.Engine.Definition;
using Workflows.Engine.Errors;
using Workflows.Engine.Jsonata;
using Workflows.Engine.Paths;
using Workflows.Engine.Retry;
using Workflows.Engine.Runtime;

namespace Workflows.Engine.States;

/// <summary>
/// Task, Parallel and Map: the states with Parameters, ResultSelector, ResultPath, Retry and Catch. One entry runs
/// attempts until one succeeds, a retrier is exhausted or nothing matches; per-retrier counters live only as long
/// as the entry, so they reset whenever the state is entered again.
/// </summary>
public abstract class RetryableState : State
{
    private protected RetryableState(string name, JsonObject json, DefinitionReader reader)
        : base(name, json, reader, hasTransition: true)
    {
        Parameters = reader.Template(json, "Parameters");
        ResultSelector = reader.Template(json, "ResultSelector");
        var (path, discard) = reader.ResultPath(json);
        ResultPath = discard ? null : path;
        Retriers = Retrier.Load(reader.Array(json, "Retry"), reader);
        Catchers = Catcher.Load(reader.Array(json, "Catch"), reader);
        Assign = reader.Assign(json);
        if (IsJsonata)
        {
            Arguments = reader.JsonataField(json, "Arguments");
        }
    }

    /// <summary>A JSONata Task's or Parallel's Arguments; null when absent (the state input is used).</summary>
    private protected JsonataTemplate? Arguments { get; }

    public IReadOnlyList<Retrier> Retriers { get; }

    public IReadOnlyList<Catcher> Catchers { get; }

    private protected PayloadTemplate? Parameters { get; }

    private protected PayloadTemplate? ResultSelector { get; }

    /// <summary>Null when <c>"ResultPath": null</c> discards the result.</summary>
    private protected JsonPath? ResultPath { get; }

    internal override IEnumerable<(string Field, string Target)> Transitions()
    {
        foreach (var t in base.Transitions())
        {
            yield return t;
        }

        for (var i = 0; i < Catchers.Count; i++)
        {
            yield return ($"Catch[{i}].Next", Catchers[i].Next);
        }
    }

    internal sealed override async ValueTask<StateOutcome> ExecuteAsync(StateContext context, JsonNode? input)
    {
        var attempts = new int[Retriers.Count];
        while (true)
        {
            StatesException error;
            try
            {
                return new StateOutcome(await AttemptAsync(context, input), Next);
            }
            catch (StatesException e) when (!ErrorMatcher.IsTerminal(e) && !context.Fiber.Token.IsCancellationRequested)
            {
                error = e;
            }

            // The first retrier naming the error decides; once it is exhausted the error goes to Catch.
            var index = Retriers.ToList().FindIndex(r => r.Matches(error));
            if (index >= 0 && attempts[index] < Retriers[index].MaxAttempts)
            {
                var delay = Retriers[index].DelayFor(attempts[index], context.Run.Random);
                attempts[index]++;
                context.RetryCount++;
                await context.Fiber.DelayAsync(delay);
                continue;
            }

            var catcher = Catchers.FirstOrDefault(c => c.Matches(error));
            if (catcher is null)
            {
                throw error;
            }

            var errorOutput = new JsonObject { ["Error"] = error.Error, ["Cause"] = error.Cause };
            if (IsJsonata)
            {
                // A JSONata catcher: Output (default $states.errorOutput) and Assign read $states.errorOutput.
                var scope = JsonataScope.OnError(context, input, errorOutput);
                AssignFrom(context, catcher.JsonataAssign, scope);
                var output = catcher.Output is null ? errorOutput : catcher.Output.Evaluate(scope);
                return new StateOutcome(output, catcher.Next);
            }

            // A caught error stores the catcher's Assign (on the error output), never the state's own.
            AssignFrom(context, catcher.Assign, errorOutput);
            return new StateOutcome(ResultPathWriter.Apply(input, catcher.ResultPath, errorOutput), catcher.Next);
        }
    }

    /// <summary>One attempt: the whole InputPath → ... → OutputPath pipeline around the state's work.</summary>
    private protected abstract Task<JsonNode?> AttemptAsync(StateContext context, JsonNode? rawInput);

    /// <summary>ResultSelector, ResultPath (on the raw input) and OutputPath, in that order.</summary>
    private protected JsonNode? Finish(StateContext context, JsonNode? rawInput, JsonNode? result)
    {
        if (IsJsonata)
        {
            // Output (default: the result) and Assign both read $states.result and the variables from entry.
            var scope = JsonataScope.OnResult(context, rawInput, result);
            AssignFrom(context, JsonataAssign, scope);
            return OutputOf(scope, result);
        }

        if (ResultSelector is not null)
        {
            result = ResultSelector.Resolve(context.Scope(result), m => new StatesRuntime(m));
        }

        // Assign reads the result after ResultSelector, before ResultPath and OutputPath (AWS docs).
        AssignFrom(context, Assign, result);

        var combined = ResultPathWriter.Apply(rawInput, ResultPath, result);
        return OutputPath.Apply(combined, "OutputPath", context);
    }

    private protected JsonNode? EffectiveInput(StateContext context, JsonNode? rawInput)
    {
        if (IsJsonata)
        {
            return Arguments is null ? rawInput : Arguments.Evaluate(JsonataScope.OnInput(context, rawInput));
        }

        var effective = InputPath.Apply(rawInput, "InputPath", context);
        return Parameters is null
            ? effective
            : Parameters.Resolve(context.Scope(effective), m => new StatesRuntime(m));
    }
}
