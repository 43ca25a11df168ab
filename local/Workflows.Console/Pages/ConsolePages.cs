using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workflows.WebConsole.Executions;
using Workflows.WebConsole.Graph;
using Workflows.WebConsole.Inputs;

namespace Workflows.WebConsole.Pages;

/// <summary>
/// The console's HTML, written on the server with every piece of user data encoded. The element ids, classes and
/// data attributes are the contract the browser test relies on (README, "Page structure").
/// </summary>
internal static class ConsolePages
{
    public const string Root = "/console/";

    public static string MachineUrl(string name) => Root + "state-machines/" + Html.Segment(name);

    public static string ExecutionUrl(string arn) => Root + "executions/" + Html.Segment(arn);

    public static string ExecutionApiUrl(string arn) => Root + "api/executions/" + Html.Segment(arn);

    public static string Layout(string title, string main, string? bodyData = null)
    {
        var s = new StringBuilder(Resources.Text("layout.html"));
        s.Replace("{{title}}", Html.Encode(title + " \u2014 Workflows console"));
        s.Replace("{{body-data}}", bodyData ?? string.Empty);
        s.Replace("{{main}}", main);
        return s.ToString();
    }

    /// <summary>The start page's JSON poll (<see cref="StartApiUrl"/>) answers with the rows of its two tables.</summary>
    public const string StartApiUrl = Root + "api/start";

    public static string Start(IReadOnlyList<(MachineSummary Machine, IReadOnlyList<ExecutionSummary> Executions)> machines, DateTimeOffset now)
    {
        var s = new StringBuilder();
        s.Append("<h1>Workflows console</h1>");
        s.Append("<p>The state machines served by <code>workflows serve</code> and their executions. Open a state machine to see its graph and start an execution.</p>");
        s.Append("<h2 id=\"state-machines-heading\">State machines</h2>");
        s.Append("<table id=\"state-machines\" aria-labelledby=\"state-machines-heading\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Type</th><th scope=\"col\">Executions</th></tr></thead><tbody>");
        s.Append(MachineRows(machines));
        s.Append("</tbody></table>");
        s.Append("<h2 id=\"executions-heading\">Recent executions</h2>");
        s.Append(ExecutionsTable(RecentExecutions(machines), now, showMachine: true));
        return Layout("State machines", s.ToString(), " data-start-api=\"" + Html.Encode(StartApiUrl) + "\"");
    }

    /// <summary>The rows of the start page's tables, as its live poll replaces them (same markup as the page).</summary>
    public static (string MachinesHtml, string ExecutionsHtml) StartRows(IReadOnlyList<(MachineSummary Machine, IReadOnlyList<ExecutionSummary> Executions)> machines, DateTimeOffset now) =>
        (MachineRows(machines), ExecutionRows(RecentExecutions(machines), now, showMachine: true));

    private static List<ExecutionSummary> RecentExecutions(IReadOnlyList<(MachineSummary Machine, IReadOnlyList<ExecutionSummary> Executions)> machines) =>
        machines.SelectMany(m => m.Executions).OrderByDescending(e => e.StartDate).ThenBy(e => e.Arn, StringComparer.Ordinal).Take(100).ToList();

    private static string MachineRows(IReadOnlyList<(MachineSummary Machine, IReadOnlyList<ExecutionSummary> Executions)> machines)
    {
        var s = new StringBuilder();
        foreach (var (m, _) in machines)
        {
            s.Append("<tr data-state-machine=\"").Append(Html.Encode(m.Name)).Append("\"><td><a class=\"state-machine-link\" href=\"").Append(Html.Encode(MachineUrl(m.Name))).Append("\">")
                .Append(Html.Encode(m.Name)).Append("</a></td><td>").Append(Html.Encode(m.Type)).Append("</td><td class=\"execution-count\">")
                .Append(m.ExecutionCount.ToString(CultureInfo.InvariantCulture)).Append("</td></tr>");
        }

        if (machines.Count == 0)
        {
            s.Append("<tr><td colspan=\"3\">No state machines.</td></tr>");
        }

        return s.ToString();
    }

    private static string ExecutionsTable(IReadOnlyList<ExecutionSummary> executions, DateTimeOffset now, bool showMachine)
    {
        var s = new StringBuilder();
        s.Append("<table id=\"executions\" aria-labelledby=\"executions-heading\"><thead><tr><th scope=\"col\">Name</th>");
        if (showMachine)
        {
            s.Append("<th scope=\"col\">State machine</th>");
        }

        s.Append("<th scope=\"col\">Status</th><th scope=\"col\">Started</th><th scope=\"col\">Duration</th></tr></thead><tbody>");
        s.Append(ExecutionRows(executions, now, showMachine));
        s.Append("</tbody></table>");
        return s.ToString();
    }

    private static string ExecutionRows(IReadOnlyList<ExecutionSummary> executions, DateTimeOffset now, bool showMachine)
    {
        var s = new StringBuilder();
        foreach (var e in executions)
        {
            s.Append("<tr data-execution-arn=\"").Append(Html.Encode(e.Arn)).Append("\" data-status=\"").Append(Html.Encode(e.Status)).Append("\"><td><a class=\"execution-link\" href=\"")
                .Append(Html.Encode(ExecutionUrl(e.Arn))).Append("\">").Append(Html.Encode(e.Name)).Append("</a></td>");
            if (showMachine)
            {
                s.Append("<td><a href=\"").Append(Html.Encode(MachineUrl(e.MachineName))).Append("\">").Append(Html.Encode(e.MachineName)).Append("</a></td>");
            }

            s.Append("<td>").Append(StatusBadge(e.Status)).Append("</td><td>").Append(TimeElement(e.StartDate)).Append("</td><td>")
                .Append(Html.Encode(Duration(e.StartDate, e.StopDate, now))).Append("</td></tr>");
        }

        if (executions.Count == 0)
        {
            s.Append("<tr><td colspan=\"").Append(showMachine ? '5' : '4').Append("\">No executions yet.</td></tr>");
        }

        return s.ToString();
    }

    public static string Machine(MachineSummary machine, GraphLayout layout, IReadOnlyList<ExecutionSummary> executions, IReadOnlyList<InputPreset> presets, string? kind, DateTimeOffset now)
    {
        var s = new StringBuilder();
        s.Append("<p class=\"crumbs\"><a href=\"").Append(Root).Append("\">State machines</a> / ").Append(Html.Encode(machine.Name)).Append("</p>");
        s.Append("<h1>").Append(Html.Encode(machine.Name)).Append("</h1>");
        s.Append("<p>").Append(Html.Encode(machine.Type)).Append(" state machine, <code>").Append(Html.Encode(machine.Arn)).Append("</code>.");
        if (layout.Graph.Comment is { } comment)
        {
            s.Append(' ').Append(Html.Encode(comment));
        }

        s.Append("</p>");
        s.Append(StartForm(machine, presets, kind));
        s.Append("<h2 id=\"graph-heading\">Graph</h2>");
        s.Append(Figure(layout, machine.Name, null));
        s.Append("<h2 id=\"executions-heading\">Executions</h2>");
        s.Append(ExecutionsTable(executions, now, showMachine: false));
        return Layout(machine.Name, s.ToString());
    }

    private static string StartForm(MachineSummary machine, IReadOnlyList<InputPreset> presets, string? kind)
    {
        var s = new StringBuilder();
        s.Append("<h2 id=\"start-heading\">Start an execution</h2>");
        s.Append("<form id=\"start-form\" method=\"post\" novalidate aria-labelledby=\"start-heading\" data-api=\"").Append(Html.Encode(Root + "api/state-machines/" + Html.Segment(machine.Name) + "/executions")).Append("\">");
        s.Append("<noscript><p class=\"note\">Starting an execution needs JavaScript (the console's own script; nothing is loaded from elsewhere).</p></noscript>");
        s.Append("<div class=\"field\"><label for=\"input-preset\">Input file (from events/)</label><select id=\"input-preset\" name=\"preset\">");
        for (var i = 0; i < presets.Count; i++)
        {
            s.Append("<option value=\"").Append(Html.Encode(presets[i].FileName)).Append('"').Append(i == 0 ? " selected" : string.Empty)
                .Append(" data-input=\"").Append(Html.Encode(presets[i].Text)).Append("\">").Append(Html.Encode(presets[i].FileName)).Append("</option>");
        }

        // The contract: the options are the fitting files, nothing else (none fit: an empty list, the textarea "{}").
        s.Append("</select>");
        if (presets.Count == 0)
        {
            s.Append("<p class=\"help\">No file under events/ fits this state machine; type the input below.</p>");
        }

        s.Append("</div>");
        s.Append("<div class=\"field\"><label for=\"execution-name\">Execution name (optional)</label><input id=\"execution-name\" name=\"name\" type=\"text\" autocomplete=\"off\" spellcheck=\"false\" maxlength=\"80\" aria-describedby=\"execution-name-help\">");
        s.Append("<p id=\"execution-name-help\" class=\"help\">Left empty, a unique name is chosen.</p></div>");
        s.Append("<div class=\"field\"><label for=\"execution-input\">Input (JSON)</label><textarea id=\"execution-input\" name=\"input\" rows=\"14\" spellcheck=\"false\" aria-describedby=\"execution-input-help\">")
            .Append(Html.Encode(presets.Count > 0 ? presets[0].Text : "{}")).Append("</textarea>");
        s.Append("<p id=\"execution-input-help\" class=\"help\">Checked before anything starts: JSON syntax")
            .Append(kind is null ? string.Empty : $", then the {Html.Encode(kind)} request's rules").Append(".</p></div>");
        s.Append("<div id=\"input-error\" role=\"alert\" class=\"error\" hidden></div>");
        s.Append("<button id=\"start-execution\" type=\"submit\">Start execution</button>");
        s.Append("</form>");
        return s.ToString();
    }

    /// <summary>The drawing, its legend (on an execution page) and its text alternative.</summary>
    private static string Figure(GraphLayout layout, string machineName, IReadOnlyDictionary<string, string>? outcomes)
    {
        var s = new StringBuilder();
        if (outcomes is not null)
        {
            s.Append("<div id=\"legend\" aria-label=\"Legend\"><h3>Legend</h3><ul>");
            foreach (var o in Outcomes.All)
            {
                s.Append("<li><svg class=\"legend-swatch\" width=\"34\" height=\"20\" aria-hidden=\"true\"><g class=\"swatch\" data-outcome=\"").Append(o)
                    .Append("\"><rect class=\"box\" x=\"2\" y=\"2\" width=\"30\" height=\"16\" rx=\"4\"/></g></svg> <span class=\"legend-mark\" aria-hidden=\"true\">")
                    .Append(GraphSvg.OutcomeMark(o)).Append("</span> ").Append(Html.Encode(GraphSvg.OutcomeText(o))).Append(" <span class=\"legend-detail\">")
                    .Append(Html.Encode(LegendDetail(o))).Append("</span></li>");
            }

            s.Append("</ul></div>");
        }

        s.Append("<div class=\"graph-scroll\" tabindex=\"0\" aria-label=\"Graph of the states (scrolls)\">").Append(GraphSvg.Render(layout, machineName, outcomes)).Append("</div>");
        s.Append("<h3 id=\"graph-text-heading\">The states in words</h3><ol id=\"graph-text\" aria-labelledby=\"graph-text-heading\">");
        foreach (var state in layout.Graph.States)
        {
            s.Append("<li data-state=\"").Append(Html.Encode(state.Name)).Append("\"><strong>").Append(Html.Encode(state.Name)).Append("</strong> (")
                .Append(Html.Encode(state.Type)).Append(')');
            if (state.Parent is not null)
            {
                s.Append(", inside ").Append(Html.Encode(state.Parent));
            }

            if (outcomes is not null)
            {
                var o = outcomes.GetValueOrDefault(state.Name, Outcomes.NotRun);
                s.Append(": <span class=\"outcome-text\" data-outcome=\"").Append(o).Append("\">").Append(Html.Encode(GraphSvg.OutcomeText(o))).Append("</span>");
            }

            var edges = layout.Graph.Edges.Where(e => e.From == state.Name).ToList();
            s.Append(edges.Count == 0 ? (state.Type is "Succeed" or "Fail" ? ". Ends the execution here." : ". Ends its scope here.") : ". Goes to ");
            s.Append(string.Join("; ", edges.Select(e => Html.Encode(e.To) + " (" + Html.Encode(EdgeWords(e)) + ")")));
            if (edges.Count > 0)
            {
                s.Append('.');
            }

            s.Append("</li>");
        }

        s.Append("</ol>");
        return s.ToString();
    }

    private static string EdgeWords(GraphEdge e) => e.Kind switch
    {
        "choice" => "when " + e.Label,
        "default" => "otherwise",
        "catch" => "Catch " + e.Label,
        _ => "next",
    };

    private static string LegendDetail(string outcome) => outcome switch
    {
        Outcomes.NotRun => "(grey, thin outline)",
        Outcomes.InProgress => "(blue, thick dashed outline)",
        Outcomes.Succeeded => "(green, solid outline)",
        Outcomes.Failed => "(red, thick solid outline)",
        Outcomes.Caught => "(orange, dotted outline: failed and left through a Catch)",
        Outcomes.Retried => "(purple, double outline: failed at least once, then succeeded on a retry)",
        _ => string.Empty,
    };

    public static string Execution(ExecutionSummary e, GraphLayout layout, IReadOnlyDictionary<string, string> outcomes, IReadOnlyList<JsonObject> events, IReadOnlyList<ClusterReport> clusters, DateTimeOffset now)
    {
        var s = new StringBuilder();
        s.Append("<p class=\"crumbs\"><a href=\"").Append(Root).Append("\">State machines</a> / <a href=\"").Append(Html.Encode(MachineUrl(e.MachineName))).Append("\">")
            .Append(Html.Encode(e.MachineName)).Append("</a> / ").Append(Html.Encode(e.Name)).Append("</p>");
        s.Append("<h1>Execution ").Append(Html.Encode(e.Name)).Append("</h1>");
        s.Append("<dl class=\"facts\"><dt>Status</dt><dd><span id=\"execution-status\" data-status=\"").Append(Html.Encode(e.Status)).Append("\" aria-live=\"polite\">")
            .Append(Html.Encode(e.Status)).Append("</span></dd>");
        s.Append("<dt>State machine</dt><dd><a href=\"").Append(Html.Encode(MachineUrl(e.MachineName))).Append("\">").Append(Html.Encode(e.MachineName)).Append("</a></dd>");
        s.Append("<dt>ARN</dt><dd><code>").Append(Html.Encode(e.Arn)).Append("</code></dd>");
        s.Append("<dt>Started</dt><dd>").Append(TimeElement(e.StartDate)).Append("</dd>");
        s.Append("<dt>Duration</dt><dd id=\"execution-duration\">").Append(Html.Encode(Duration(e.StartDate, e.StopDate, now))).Append("</dd>");
        s.Append("<dt>Redrives</dt><dd id=\"execution-redrives\">").Append(e.RedriveCount.ToString(CultureInfo.InvariantCulture)).Append("</dd>");
        s.Append("</dl>");
        s.Append("<div id=\"execution-result\">").Append(Result(e)).Append("</div>");
        s.Append("<div class=\"actions\"><button id=\"stop-execution\" type=\"button\"").Append(e.Status == "RUNNING" ? string.Empty : " disabled").Append(">Stop execution</button> ");
        s.Append("<button id=\"redrive-execution\" type=\"button\"").Append(e.Redrivable ? string.Empty : " disabled").Append(" aria-describedby=\"redrive-help\">Redrive execution</button>");
        s.Append(" <span id=\"redrive-help\" class=\"help\">").Append(Html.Encode(e.Redrivable ? "Runs the execution again from the state that failed." : e.RedriveReason ?? string.Empty)).Append("</span>");
        s.Append("<div id=\"action-error\" role=\"alert\" class=\"error\" hidden></div></div>");
        s.Append("<h2 id=\"graph-heading\">Graph</h2>");
        s.Append(Figure(layout, e.MachineName, outcomes));
        s.Append("<h2 id=\"clusters-heading\">Clusters</h2><p class=\"help\">As the steps reported them; the latest report of each cluster wins.</p>");
        s.Append("<table id=\"clusters\" aria-labelledby=\"clusters-heading\"><thead><tr><th scope=\"col\">Region</th><th scope=\"col\">Identifier</th><th scope=\"col\">Status</th><th scope=\"col\">Reported by</th></tr></thead><tbody>")
            .Append(ClusterRows(clusters)).Append("</tbody></table>");
        s.Append("<h2 id=\"history-heading\">Event history</h2>");
        s.Append("<table id=\"history\" aria-labelledby=\"history-heading\"><thead><tr><th scope=\"col\">Id</th><th scope=\"col\">Time</th><th scope=\"col\">Type</th><th scope=\"col\">State</th><th scope=\"col\">Details</th></tr></thead><tbody>");
        var stateOf = new Dictionary<long, string>();
        foreach (var ev in events)
        {
            s.Append(HistoryRow(ev, stateOf));
        }

        s.Append("</tbody></table>");
        var last = events.Count == 0 ? 0 : Id(events[^1]["id"]);
        var data = $" data-execution-arn=\"{Html.Encode(e.Arn)}\" data-api=\"{Html.Encode(ExecutionApiUrl(e.Arn))}\" data-last-event-id=\"{last.ToString(CultureInfo.InvariantCulture)}\"";
        return Layout("Execution " + e.Name, s.ToString(), data);
    }

    public static string Result(ExecutionSummary e)
    {
        var s = new StringBuilder();
        if (e.Error is not null || e.Cause is not null)
        {
            s.Append("<p class=\"failure\"><strong>Error:</strong> ").Append(Html.Encode(e.Error ?? "(none)")).Append("</p>");
            if (e.Cause is not null)
            {
                s.Append("<details><summary>Cause</summary><pre>").Append(Html.Encode(Pretty(e.Cause))).Append("</pre></details>");
            }
        }

        s.Append("<details><summary>Execution input</summary><pre>").Append(Html.Encode(Pretty(e.Input ?? "{}"))).Append("</pre></details>");
        if (e.Output is not null)
        {
            s.Append("<details><summary>Execution output</summary><pre>").Append(Html.Encode(Pretty(e.Output))).Append("</pre></details>");
        }

        return s.ToString();
    }

    public static string ClusterRows(IReadOnlyList<ClusterReport> clusters)
    {
        if (clusters.Count == 0)
        {
            return "<tr class=\"empty\"><td colspan=\"4\">No cluster reported yet.</td></tr>";
        }

        var s = new StringBuilder();
        foreach (var c in clusters)
        {
            s.Append("<tr data-region=\"").Append(Html.Encode(c.Region)).Append("\"><td class=\"cluster-region\">").Append(Html.Encode(c.Region)).Append("</td><td class=\"cluster-identifier\">")
                .Append(Html.Encode(c.Identifier)).Append("</td><td class=\"cluster-status\">").Append(Html.Encode(c.Status ?? "unknown")).Append("</td><td>")
                .Append(Html.Encode(c.ReportedBy ?? string.Empty)).Append(" (event ").Append(c.EventId.ToString(CultureInfo.InvariantCulture)).Append(")</td></tr>");
        }

        return s.ToString();
    }

    /// <summary>One history row; <paramref name="stateOf"/> carries each event's state along previousEventId.</summary>
    public static string HistoryRow(JsonObject ev, Dictionary<long, string> stateOf)
    {
        var id = Id(ev["id"]);
        var type = ev["type"]?.GetValue<string>() ?? string.Empty;
        JsonObject? details = null;
        foreach (var (key, value) in ev)
        {
            if (key.EndsWith("EventDetails", StringComparison.Ordinal) && value is JsonObject d)
            {
                details = d;
            }
        }

        var state = details?["name"]?.GetValue<string>();
        if (state is not null && type.EndsWith("StateEntered", StringComparison.Ordinal))
        {
            stateOf[id] = state;
        }
        else if (state is null && stateOf.TryGetValue(Id(ev["previousEventId"]), out var carried))
        {
            state = carried;
            stateOf[id] = carried;
        }
        else if (state is not null)
        {
            stateOf[id] = state;
        }

        var s = new StringBuilder();
        s.Append("<tr data-event-id=\"").Append(id.ToString(CultureInfo.InvariantCulture)).Append("\" data-type=\"").Append(Html.Encode(type)).Append("\"><td>")
            .Append(id.ToString(CultureInfo.InvariantCulture)).Append("</td><td>");
        if (ev["timestamp"] is JsonValue t && t.TryGetValue<double>(out var seconds))
        {
            s.Append(TimeElement(DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000)), withMilliseconds: true));
        }

        s.Append("</td><td>").Append(Html.Encode(type)).Append("</td><td>").Append(Html.Encode(state ?? string.Empty)).Append("</td><td>");
        if (details is not null && details.Count > 0)
        {
            var parts = new List<(string Label, string Text)>();
            foreach (var (key, value) in details)
            {
                if (key is "input" or "output" && value is JsonValue v && v.TryGetValue<string>(out var payload))
                {
                    parts.Add((key == "input" ? "Input" : "Output", Pretty(payload)));
                }
                else if (key is "error" or "cause" or "resource" or "resourceType" or "parameters" && value is JsonValue w && w.TryGetValue<string>(out var text))
                {
                    parts.Add((char.ToUpperInvariant(key[0]) + key[1..], key is "parameters" or "cause" ? Pretty(text) : text));
                }
            }

            var summary = parts.Count == 0 ? "Details" : string.Join(", ", parts.Select(p => p.Label).Distinct());
            s.Append("<details><summary>").Append(Html.Encode(summary)).Append("</summary>");
            if (parts.Count == 0)
            {
                s.Append("<pre>").Append(Html.Encode(details.ToJsonString(Indented))).Append("</pre>");
            }

            foreach (var (label, text) in parts)
            {
                s.Append("<p class=\"detail-label\">").Append(Html.Encode(label)).Append("</p><pre>").Append(Html.Encode(text)).Append("</pre>");
            }

            s.Append("</details>");
        }

        s.Append("</td></tr>");
        return s.ToString();
    }

    public static string NotFound(string what) =>
        Layout("Not found", "<h1>Not found</h1><p>" + Html.Encode(what) + "</p><p><a href=\"" + Root + "\">Back to the state machines</a></p>");

    public static string StatusBadge(string status) =>
        "<span class=\"status\" data-status=\"" + Html.Encode(status) + "\"><span class=\"status-mark\" aria-hidden=\"true\">" + StatusMark(status) + "</span> " + Html.Encode(status) + "</span>";

    public static string StatusMark(string status) => status switch
    {
        "RUNNING" => "\u25B6",
        "SUCCEEDED" => "\u2713",
        "FAILED" => "\u2717",
        "TIMED_OUT" => "\u231B",
        "ABORTED" => "\u25A0",
        _ => "\u25CB",
    };

    public static string Duration(DateTimeOffset start, DateTimeOffset? stop, DateTimeOffset now)
    {
        var span = (stop ?? now) - start;
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var text = span.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : span.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} min {span.Seconds:00} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} min");
        return stop is null ? text + " so far" : text;
    }

    private static string TimeElement(DateTimeOffset t, bool withMilliseconds = false)
    {
        var utc = t.UtcDateTime;
        return "<time datetime=\"" + utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "\">"
            + utc.ToString(withMilliseconds ? "yyyy-MM-dd HH:mm:ss.fff" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC</time>";
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>JSON text indented for reading; anything else as it is.</summary>
    public static string Pretty(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return text;
        }
    }

    public static long Id(JsonNode? node) =>
        node is JsonValue v ? (v.TryGetValue<long>(out var l) ? l : v.TryGetValue<double>(out var d) ? (long)d : 0) : 0;
}
