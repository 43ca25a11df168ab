using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Workflows.Core.Steps;

/// <summary>
/// clientTokens for DSQL's create, update and delete calls, derived from where the call sits in a workflow
/// rather than drawn at random. A Lambda that times out after its call went through is retried by the
/// state machine with the same input, so it sends the same token and DSQL answers the first call again
/// instead of making a second cluster. SDK-generated tokens only cover the SDK's own retries.
/// </summary>
public static class ClientTokens
{
    public const int MaxLength = 64;

    /// <summary>Hex digits never drop below this (128 bits), whatever the step name's length.</summary>
    private const int MinHashLength = 32;

    /// <param name="executionName">Unique per state machine, so the state machine's ARN (when known) joins it.</param>
    /// <param name="step">The step's name, e.g. <c>CreatePrimaryCluster</c>; it becomes the readable prefix.</param>
    /// <param name="discriminator">What makes this call different from the step's other calls in the same
    /// execution: the cluster's Region and identifier, plus e.g. the protection being set.</param>
    /// <returns><c>{step}-{hex SHA-256}</c>, at most 64 characters of <c>[A-Za-z0-9-]</c> (inside DSQL's <c>[!-~]+</c>).</returns>
    public static string Derive(string executionName, string? stateMachineArn, string step, string discriminator)
    {
        ArgumentException.ThrowIfNullOrEmpty(executionName);
        ArgumentException.ThrowIfNullOrEmpty(step);
        ArgumentNullException.ThrowIfNull(discriminator);
        if (step.Length > MaxLength - 1 - MinHashLength || !step.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Step '{step}' must be 1 to {MaxLength - 1 - MinHashLength} ASCII letters or digits.", nameof(step));
        }

        // Length-prefixed fields: no two different inputs can produce the same hashed text.
        var text = new StringBuilder();
        foreach (var part in new[] { "v1", stateMachineArn ?? string.Empty, executionName, step, discriminator })
        {
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('|');
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
        var room = MaxLength - step.Length - 1;
        return $"{step}-{hash[..Math.Min(room, hash.Length)]}";
    }
}
