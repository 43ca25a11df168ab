namespace Workflows.Engine.Tasks;

/// <summary>How a Task Resource string reads: a plain Lambda function ARN, or an optimized/SDK service integration.</summary>
public sealed record TaskResource(string Arn, bool IsLambdaFunction, string ResourceType, string ResourceName, string? Pattern)
{
    public const string LambdaInvoke = "arn:aws:states:::lambda:invoke";
    public const string EventsPutEvents = "arn:aws:states:::events:putEvents";

    public static TaskResource Parse(string arn)
    {
        ArgumentNullException.ThrowIfNull(arn);
        var parts = arn.Split(':');
        if (parts.Length >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function")
        {
            return new TaskResource(arn, true, "lambda", parts[6], null);
        }

        if (arn.StartsWith("arn:aws:states:::", StringComparison.Ordinal))
        {
            var tail = arn["arn:aws:states:::".Length..];
            var colon = tail.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var service = tail[..colon];
                var action = tail[(colon + 1)..];
                string? pattern = null;
                var dot = action.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0)
                {
                    pattern = action[(dot + 1)..];
                    action = action[..dot];
                }

                return new TaskResource(arn, false, service, action, pattern);
            }
        }

        return new TaskResource(arn, false, "unknown", arn, null);
    }
}
