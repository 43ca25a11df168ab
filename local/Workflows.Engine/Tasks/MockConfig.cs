using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.Engine.Errors;
using Workflows.Engine.Paths;

namespace Workflows.Engine.Tasks;

/// <summary>
/// Mocked task responses in the Step Functions Local MockConfigFile format:
/// StateMachines → machine → TestCases → case → {state name: response name}; MockedResponses → response →
/// {"0": {"Return": ...}, "1-2": {"Throw": {"Error","Cause"}}}. Each attempt of a mocked state, retries included,
/// consumes the next attempt index.
/// </summary>
public sealed class MockConfig
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, string>>> _machines;
    private readonly Dictionary<string, List<MockAttempt>> _responses;

    private MockConfig(
        Dictionary<string, Dictionary<string, Dictionary<string, string>>> machines,
        Dictionary<string, List<MockAttempt>> responses)
    {
        _machines = machines;
        _responses = responses;
    }

    /// <exception cref="FormatException">The document does not follow the MockConfigFile format.</exception>
    public static MockConfig Parse(string json)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new FormatException("MockConfig: the document must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"MockConfig: invalid JSON: {e.Message}", e);
        }

        var machines = new Dictionary<string, Dictionary<string, Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var (machine, body) in Obj(root["StateMachines"], "StateMachines"))
        {
            var cases = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
            foreach (var (caseName, mapping) in Obj(Obj(body, $"StateMachines.{machine}")["TestCases"], $"StateMachines.{machine}.TestCases"))
            {
                cases[caseName] = Obj(mapping, $"TestCases.{caseName}").ToDictionary(
                    kv => kv.Key,
                    kv => JsonValues.TryGetString(kv.Value, out var s) ? s : throw new FormatException($"MockConfig: TestCases.{caseName}.{kv.Key} must name a response"),
                    StringComparer.Ordinal);
            }

            machines[machine] = cases;
        }

        var responses = new Dictionary<string, List<MockAttempt>>(StringComparer.Ordinal);
        foreach (var (name, attempts) in Obj(root["MockedResponses"], "MockedResponses"))
        {
            var list = new List<MockAttempt>();
            foreach (var (key, response) in Obj(attempts, $"MockedResponses.{name}"))
            {
                list.Add(MockAttempt.Parse(name, key, Obj(response, $"MockedResponses.{name}.{key}")));
            }

            responses[name] = list;
        }

        foreach (var (machine, cases) in machines)
        {
            foreach (var (caseName, mapping) in cases)
            {
                foreach (var (state, response) in mapping)
                {
                    if (!responses.ContainsKey(response))
                    {
                        throw new FormatException($"MockConfig: {machine}/{caseName}/{state} names unknown response '{response}'");
                    }
                }
            }
        }

        return new MockConfig(machines, responses);
    }

    /// <summary>The state-name → response-name map of one test case.</summary>
    /// <exception cref="ArgumentException">Machine or test case unknown.</exception>
    public IReadOnlyDictionary<string, string> TestCase(string stateMachineName, string testCase)
    {
        if (!_machines.TryGetValue(stateMachineName, out var cases))
        {
            throw new ArgumentException($"MockConfig has no state machine '{stateMachineName}'", nameof(stateMachineName));
        }

        return cases.TryGetValue(testCase, out var mapping)
            ? mapping
            : throw new ArgumentException($"MockConfig has no test case '{testCase}' for '{stateMachineName}'", nameof(testCase));
    }

    /// <summary>The outcome of attempt <paramref name="attempt"/> (0-based) of a response.</summary>
    public MockAttempt ResponseFor(string responseName, int attempt)
    {
        var list = _responses[responseName];
        return list.FirstOrDefault(a => attempt >= a.From && attempt <= a.To)
            ?? throw new StatesRuntime(string.Create(CultureInfo.InvariantCulture, $"Mocked response '{responseName}' defines no attempt {attempt}"));
    }

    private static JsonObject Obj(JsonNode? node, string where) =>
        node as JsonObject ?? throw new FormatException($"MockConfig: {where} must be an object");
}

/// <summary>A Return or Throw for the attempt indexes From..To.</summary>
public sealed record MockAttempt(int From, int To, JsonNode? Return, string? Error, string? Cause)
{
    public bool Throws => Error is not null;

    internal static MockAttempt Parse(string response, string key, JsonObject body)
    {
        var range = key.Split('-');
        if (range.Length is < 1 or > 2 || !range.All(r => int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"MockConfig: MockedResponses.{response} key '{key}' must be an attempt index or range like \"1-2\"");
        }

        var from = int.Parse(range[0], CultureInfo.InvariantCulture);
        var to = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : from;
        var hasReturn = body.TryGetPropertyValue("Return", out var ret);
        var hasThrow = body.TryGetPropertyValue("Throw", out var thr);
        if (hasReturn == hasThrow)
        {
            throw new FormatException($"MockConfig: MockedResponses.{response}.{key} must have exactly one of Return or Throw");
        }

        if (hasThrow)
        {
            if (thr is not JsonObject t || !JsonValues.TryGetString(t["Error"], out var error))
            {
                throw new FormatException($"MockConfig: MockedResponses.{response}.{key}.Throw needs a string Error");
            }

            return new MockAttempt(from, to, null, error, JsonValues.TryGetString(t["Cause"], out var cause) ? cause : null);
        }

        return new MockAttempt(from, to, ret?.DeepClone(), null, null);
    }
}
