using System.Text.Json.Nodes;

namespace Workflows.Jsonata;

/// <summary>
/// A host-supplied function callable from an expression as <c>$name(...)</c> (see <see cref="JsonataOptions.Functions"/>).
/// Arguments arrive as JSON (undefined and null both as C# null); return false for an undefined result. Throw
/// <see cref="JsonataException"/> to fail the evaluation.
/// </summary>
public delegate bool JsonataFunction(IReadOnlyList<JsonNode?> arguments, out JsonNode? result);
