using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Workflows.Core.Requests;
using Workflows.Host.AwsJson;
using Workflows.Host.StepFunctions;
using Workflows.WebConsole.Executions;
using Workflows.WebConsole.Graph;
using Workflows.WebConsole.Inputs;
using Workflows.WebConsole.Pages;

namespace Workflows.WebConsole;

/// <summary>How the console finds its inputs and checks them.</summary>
public sealed record ConsoleOptions
{
    /// <summary>The directory of console inputs (the repository's events/); null = none offered.</summary>
    public string? EventsDirectory { get; init; }

    /// <summary>
    /// The request kind (provision, teardown, update, or null for JSON syntax only) of a machine, from its name and
    /// definition; by default <see cref="RequestValidation.KindOf"/>.
    /// </summary>
    public Func<string, string, string?> KindOf { get; init; } = RequestValidation.KindOf;

    /// <summary>How often the execution page asks for news while the execution runs.</summary>
    public int PollMilliseconds { get; init; } = 500;

    /// <summary>How often the start page asks for its tables while it is visible (Inferred: about once a second is live enough for a list).</summary>
    public int StartPollMilliseconds { get; init; } = 1000;
}

/// <summary>
/// The local browser console under <c>/console/</c> on the host that serves the Step Functions API: HTML pages, a
/// small JSON API the pages poll and act through, and the embedded stylesheet and script. Everything reads and acts
/// through <see cref="StepFunctionsService"/>'s operations in-process.
/// </summary>
public sealed class ConsoleEndpoint
{
    public const string PathPrefix = "/console/";

    // Inferred: what a page may load and where it may connect: this origin only, no inline script, no framing.
    internal const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The header the console's script sends with every change (start, stop, redrive): a page of another
    /// origin cannot send it without a CORS preflight, which is never granted, so it cannot act here.</summary>
    internal const string ActionHeader = "X-Workflows-Console";

    private readonly ConsoleData _data;
    private readonly ConsoleOptions _options;
    private readonly InputPresets _presets;
    private readonly ConcurrentDictionary<string, GraphLayout> _layouts = new(StringComparer.Ordinal);

    public ConsoleEndpoint(StepFunctionsService service, ConsoleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        _data = new ConsoleData(service);
        _options = options ?? new ConsoleOptions();
        _presets = new InputPresets(_options.EventsDirectory);
    }

    /// <summary>The line serve prints: "Console: http://127.0.0.1:N/console/".</summary>
    public static string EndpointLine(Uri baseAddress)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        return "Console: " + baseAddress.ToString().TrimEnd('/') + PathPrefix;
    }

    public void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Routing matches /console and /console/ alike; the start page lives at the latter (relative links).
        // GET routes answer HEAD too (RFC 9110 9.3.2: the same answer without its body); MapGet alone would send HEAD
        // to the catch-all below and a 404.
        static RouteHandlerBuilder Get(IEndpointRouteBuilder app, string pattern, Delegate handler) => app.MapMethods(pattern, ["GET", "HEAD"], handler);
        Get(app, "/console/", (HttpContext c) => Guarded(c, () =>
        {
            if (c.Request.Path.Value?.EndsWith('/') != true)
            {
                c.Response.Redirect(PathPrefix);
                return Task.CompletedTask;
            }

            return StartPageAsync(c);
        }));
        Get(app, "/console/state-machines/{name}", (HttpContext c, string name) => Guarded(c, () => MachinePageAsync(c, name)));
        Get(app, "/console/executions/{arn}", (HttpContext c, string arn) => Guarded(c, () => ExecutionPageAsync(c, arn)));
        Get(app, "/console/assets/{file}", (HttpContext c, string file) => Guarded(c, () => AssetAsync(c, file)));
        Get(app, "/console/api/executions/{arn}", (HttpContext c, string arn) => Guarded(c, () => ExecutionJsonAsync(c, arn)));
        Get(app, "/console/api/start", (HttpContext c) => Guarded(c, () => StartJsonAsync(c)));
        app.MapPost("/console/api/state-machines/{name}/executions", (HttpContext c, string name) => Guarded(c, () => StartAsync(c, name), action: true));
        app.MapPost("/console/api/executions/{arn}/stop", (HttpContext c, string arn) => Guarded(c, () => ActAsync(c, arn, stop: true), action: true));
        app.MapPost("/console/api/executions/{arn}/redrive", (HttpContext c, string arn) => Guarded(c, () => ActAsync(c, arn, stop: false), action: true));
        app.MapMethods("/console/{**rest}", ["GET", "HEAD", "POST"], (HttpContext c) => Guarded(c, () =>
            c.Request.Path.StartsWithSegments("/console/api", StringComparison.Ordinal)
                ? JsonAsync(c, 404, new JsonObject { ["error"] = "NotFound", ["message"] = $"No console API at {c.Request.Path}" })
                : HtmlAsync(c, 404, ConsolePages.NotFound($"There is no console page at {c.Request.Path}."))));
    }

    // ---- pages --------------------------------------------------------------------------------------------------

    private async Task StartPageAsync(HttpContext c)
    {
        var machines = await _data.MachinesAsync(c.RequestAborted);
        await HtmlAsync(c, 200, ConsolePages.Start(machines, _data.Clock.GetUtcNow()));
    }

    private async Task MachinePageAsync(HttpContext c, string name)
    {
        if (await _data.MachineAsync(name, c.RequestAborted) is not { } found)
        {
            await HtmlAsync(c, 404, ConsolePages.NotFound($"There is no state machine named '{name}'."));
            return;
        }

        var (machine, definition) = found;
        var kind = _options.KindOf(machine.Name, definition);
        var presets = _presets.For(kind, RequestValidation.For(kind));
        var executions = await _data.ExecutionsAsync(machine.Arn, c.RequestAborted);
        await HtmlAsync(c, 200, ConsolePages.Machine(machine, Layout(definition), executions, presets, kind, _data.Clock.GetUtcNow()));
    }

    private async Task ExecutionPageAsync(HttpContext c, string arn)
    {
        if (await _data.ExecutionAsync(arn, c.RequestAborted) is not { } found)
        {
            await HtmlAsync(c, 404, ConsolePages.NotFound($"There is no execution '{arn}'."));
            return;
        }

        var (execution, definition, events) = found;
        var layout = Layout(definition);
        var outcomes = Outcomes.Compute(layout.Graph, events);
        await HtmlAsync(c, 200, ConsolePages.Execution(execution, layout, outcomes, events, ClusterReports.From(events), _data.Clock.GetUtcNow()));
    }

    private GraphLayout Layout(string definition) => _layouts.GetOrAdd(definition, d => GraphLayout.Compute(AslGraph.Parse(d)));

    private static async Task AssetAsync(HttpContext c, string file)
    {
        var type = Path.GetExtension(file) switch
        {
            ".css" => "text/css; charset=utf-8",
            ".js" => "text/javascript; charset=utf-8",
            ".svg" => "image/svg+xml",
            _ => null,
        };
        if (type is null || Resources.Get(file) is not { } asset)
        {
            await HtmlAsync(c, 404, ConsolePages.NotFound($"There is no console asset '{file}'."));
            return;
        }

        // Revalidated on every use (no-cache): an upgraded tool's assets show at once, unchanged ones cost a 304.
        c.Response.Headers.CacheControl = "no-cache";
        c.Response.Headers.ETag = asset.ETag;
        if (c.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            c.Response.StatusCode = 304;
            return;
        }

        c.Response.StatusCode = 200;
        c.Response.ContentType = type;
        await BytesAsync(c, asset.Bytes);
    }

    // ---- API ------------------------------------------------------------------------------------------------------

    /// <summary>The start page's poll: its two tables' rows as the page draws them, so new executions and status changes show without a reload.</summary>
    private async Task StartJsonAsync(HttpContext c)
    {
        var machines = await _data.MachinesAsync(c.RequestAborted);
        var (machinesHtml, executionsHtml) = ConsolePages.StartRows(machines, _data.Clock.GetUtcNow());
        await JsonAsync(c, 200, new JsonObject
        {
            ["machinesHtml"] = machinesHtml,
            ["executionsHtml"] = executionsHtml,
            ["executionCount"] = machines.Sum(m => m.Machine.ExecutionCount),
            ["pollMilliseconds"] = _options.StartPollMilliseconds,
        });
    }

    private async Task ExecutionJsonAsync(HttpContext c, string arn)
    {
        if (await _data.ExecutionAsync(arn, c.RequestAborted) is not { } found)
        {
            await JsonAsync(c, 404, new JsonObject { ["error"] = "ExecutionDoesNotExist", ["message"] = $"There is no execution '{arn}'" });
            return;
        }

        var after = long.TryParse(c.Request.Query["after"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        await JsonAsync(c, 200, ExecutionJson(found.Execution, found.Definition, found.Events, after));
    }

    internal JsonObject ExecutionJson(ExecutionSummary e, string definition, IReadOnlyList<JsonObject> events, long after)
    {
        var layout = Layout(definition);
        var outcomes = Outcomes.Compute(layout.Graph, events);
        var states = new JsonObject();
        foreach (var state in layout.Graph.States)
        {
            var o = outcomes[state.Name];
            states[state.Name] = new JsonObject
            {
                ["outcome"] = o,
                ["text"] = GraphSvg.OutcomeText(o),
                ["mark"] = GraphSvg.OutcomeMark(o),
                ["title"] = GraphSvg.StateTitle(state, o),
            };
        }

        var stateOf = new Dictionary<long, string>();
        var fresh = new JsonArray();
        foreach (var ev in events)
        {
            // Every row is rendered (the state column follows previousEventId from the start); only new ones are sent.
            var row = ConsolePages.HistoryRow(ev, stateOf);
            var id = ConsolePages.Id(ev["id"]);
            if (id > after)
            {
                fresh.Add(new JsonObject { ["id"] = id, ["type"] = ev["type"]?.DeepClone(), ["html"] = row });
            }
        }

        var clusters = ClusterReports.From(events);
        var now = _data.Clock.GetUtcNow();
        return new JsonObject
        {
            ["executionArn"] = e.Arn,
            ["name"] = e.Name,
            ["status"] = e.Status,
            ["terminal"] = e.Status != "RUNNING",
            ["stoppable"] = e.Status == "RUNNING",
            ["redrivable"] = e.Redrivable,
            ["redriveStatusReason"] = e.RedriveReason,
            ["redriveCount"] = e.RedriveCount,
            ["duration"] = ConsolePages.Duration(e.StartDate, e.StopDate, now),
            ["lastEventId"] = events.Count == 0 ? 0 : ConsolePages.Id(events[^1]["id"]),
            ["pollMilliseconds"] = _options.PollMilliseconds,
            ["states"] = states,
            ["events"] = fresh,
            ["clusters"] = new JsonArray([.. clusters.Select(x => (JsonNode)new JsonObject
            {
                ["region"] = x.Region,
                ["identifier"] = x.Identifier,
                ["status"] = x.Status,
                ["arn"] = x.Arn,
                ["eventId"] = x.EventId,
                ["reportedBy"] = x.ReportedBy,
            })]),
            ["clustersHtml"] = ConsolePages.ClusterRows(clusters),
            ["resultHtml"] = ConsolePages.Result(e),
            ["error"] = e.Error,
            ["cause"] = e.Cause,
        };
    }

    private async Task StartAsync(HttpContext c, string name)
    {
        if (await _data.MachineAsync(name, c.RequestAborted) is not { } found)
        {
            await JsonAsync(c, 404, Problem("stateMachine", $"there is no state machine named '{name}'"));
            return;
        }

        var body = await ReadJsonAsync(c);
        if (body is null)
        {
            await JsonAsync(c, 400, Problem("body", "must be a JSON object: {\"name\": optional string, \"input\": string of JSON}"));
            return;
        }

        var executionName = body["name"] is JsonValue nv && nv.TryGetValue<string>(out var given) && given.Trim().Length > 0 ? given.Trim() : null;
        if (executionName is not null && !RequestRules.IsValidExecutionName(executionName))
        {
            await JsonAsync(c, 400, Problem("name", $"'{executionName}' is not an execution name Step Functions accepts: 1 to 80 characters, no whitespace or control characters, none of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /"));
            return;
        }

        if (body["input"] is not JsonValue iv || !iv.TryGetValue<string>(out var input))
        {
            await JsonAsync(c, 400, Problem("input", "is required: the execution input as JSON text"));
            return;
        }

        var (machine, definition) = found;
        var kind = _options.KindOf(machine.Name, definition);
        if (RequestValidation.For(kind)(input) is { } problem)
        {
            await JsonAsync(c, 400, Problem(problem.Field, problem.Rule));
            return;
        }

        try
        {
            var arn = await _data.StartAsync(machine.Arn, executionName, input, c.RequestAborted);
            await JsonAsync(c, 201, new JsonObject { ["executionArn"] = arn, ["url"] = ConsolePages.ExecutionUrl(arn) });
        }
        catch (AwsJsonException e)
        {
            var field = e.Type is "ExecutionAlreadyExists" or "InvalidName" ? "name" : e.Type == "InvalidExecutionInput" ? "input" : "request";
            await JsonAsync(c, 400, Problem(field, e.Message, e.Type));
        }
    }

    private async Task ActAsync(HttpContext c, string arn, bool stop)
    {
        try
        {
            if (stop)
            {
                await _data.StopAsync(arn, c.RequestAborted);
            }
            else
            {
                await _data.RedriveAsync(arn, c.RequestAborted);
            }
        }
        catch (AwsJsonException e) when (e.Type is "ExecutionDoesNotExist" or "InvalidArn")
        {
            await JsonAsync(c, 404, Problem("execution", e.Message, e.Type));
            return;
        }
        catch (AwsJsonException e)
        {
            await JsonAsync(c, 409, Problem("execution", e.Message, e.Type));
            return;
        }

        var found = await _data.ExecutionAsync(arn, c.RequestAborted);
        await JsonAsync(c, 200, new JsonObject { ["executionArn"] = arn, ["status"] = found?.Execution.Status });
    }

    private static JsonObject Problem(string field, string rule, string? type = null) => new()
    {
        ["error"] = type ?? "ValidationError",
        ["field"] = field,
        ["rule"] = rule,
        ["message"] = $"{field}: {rule}",
    };

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext c)
    {
        try
        {
            var bytes = await ApplicationHostBody.ReadAsync(c.Request, c.RequestAborted);
            return JsonNode.Parse(bytes) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (AwsJsonException)
        {
            return null; // over the size limit
        }
    }

    // ---- plumbing -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Every console request: the Host must be a loopback name (a page on another site cannot reach the console by
    /// rebinding its own name to 127.0.0.1), changes need the console's header and a JSON body, and every answer
    /// carries the security headers.
    /// </summary>
    private static async Task Guarded(HttpContext c, Func<Task> handle, bool action = false)
    {
        var headers = c.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        var host = c.Request.Host.Host;
        if (!(host is "localhost" || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))))
        {
            await PlainAsync(c, 403, $"The console answers only on a loopback address, not on '{host}'.");
            return;
        }

        if (action && (c.Request.Headers[ActionHeader] != "1" || c.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true))
        {
            await JsonAsync(c, 403, Problem("request", $"a console action needs the {ActionHeader}: 1 header and a JSON body (the console's own page sends both)"));
            return;
        }

        await handle();
    }

    private static Task HtmlAsync(HttpContext c, int status, string html)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "text/html; charset=utf-8";
        return BodyAsync(c, html);
    }

    /// <summary>Writes the body, or for HEAD only its Content-Length: the answer GET would give, without the body.</summary>
    private static Task BodyAsync(HttpContext c, string text) => BytesAsync(c, Encoding.UTF8.GetBytes(text));

    private static async Task BytesAsync(HttpContext c, ReadOnlyMemory<byte> bytes)
    {
        c.Response.ContentLength = bytes.Length;
        if (!HttpMethods.IsHead(c.Request.Method))
        {
            await c.Response.Body.WriteAsync(bytes, c.RequestAborted);
        }
    }

    private static Task JsonAsync(HttpContext c, int status, JsonObject body)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "application/json; charset=utf-8";
        return BodyAsync(c, body.ToJsonString());
    }

    private static Task PlainAsync(HttpContext c, int status, string text)
    {
        c.Response.StatusCode = status;
        c.Response.ContentType = "text/plain; charset=utf-8";
        return BodyAsync(c, text);
    }

    /// <summary>A bounded body read (1 MiB), as the host reads API requests.</summary>
    private static class ApplicationHostBody
    {
        private const int MaxBytes = 1024 * 1024;

        public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    throw new AwsJsonException("ValidationException", $"The request body exceeds {MaxBytes} bytes");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
