using System.Text.Json.Nodes;
using Workflows.EventBridge.Targets;
using Workflows.Host.AwsJson;
using Workflows.Host.StepFunctions;

namespace Workflows.Host.Events;

/// <summary>Binds rule targets that are state machine ARNs to StartExecution on the served Step Functions.</summary>
public static class StateMachineTargets
{
    /// <summary>
    /// Registers <paramref name="stateMachineArns"/> on <paramref name="routing"/>. Inferred (as EventBridge does for
    /// a Step Functions target): no execution name is given, so each delivery starts a new execution with a
    /// generated name; a duplicate request is made harmless by the workflow itself (its idempotencyKey derives the
    /// client tokens, so a second execution finds the same clusters), not by the name.
    /// </summary>
    public static RoutingEventTarget Bind(RoutingEventTarget routing, StepFunctionsService stepFunctions, IEnumerable<string> stateMachineArns)
    {
        ArgumentNullException.ThrowIfNull(routing);
        ArgumentNullException.ThrowIfNull(stepFunctions);
        ArgumentNullException.ThrowIfNull(stateMachineArns);
        foreach (var arn in stateMachineArns)
        {
            routing.Register(arn, (invocation, cancellationToken) => StartAsync(stepFunctions, arn, invocation, cancellationToken));
        }

        return routing;
    }

    private static async Task<TargetOutcome> StartAsync(StepFunctionsService stepFunctions, string arn, TargetInvocation invocation, CancellationToken cancellationToken)
    {
        try
        {
            await stepFunctions.HandleAsync("StartExecution", new JsonObject { ["stateMachineArn"] = arn, ["input"] = invocation.Input }, cancellationToken);
            return TargetOutcome.Success;
        }
        catch (AwsJsonException e) when (e.Type is "StateMachineDoesNotExist" or "StateMachineDeleting")
        {
            return TargetOutcome.Failure("NO_RESOURCE", e.Message);
        }
        catch (AwsJsonException e) when (e.Type is "InvalidExecutionInput" or "ValidationException")
        {
            // Inferred: an input the service refuses will be refused again; straight to the dead letters.
            return new TargetOutcome(false, "INVALID_PARAMETER", e.Message, Retryable: false);
        }
        catch (AwsJsonException e)
        {
            return TargetOutcome.Failure("SDK_CLIENT_ERROR", $"{e.Type}: {e.Message}");
        }
    }
}
