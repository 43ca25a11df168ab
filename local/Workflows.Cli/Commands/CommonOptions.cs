using System.CommandLine;
using Workflows.Cli.Output;
using Workflows.Cli.Pairs;

namespace Workflows.Cli.Commands;

/// <summary>Options several commands share, so they are spelled and described the same everywhere.</summary>
internal static class CommonOptions
{
    public const string InProcess = "in-process";
    public const string Process = "process";

    public static Option<bool> Json(string what) => new("--json") { Description = $"Print {what} as one JSON object on stdout, nothing else (the same as --output json)." };

    public const string TableFormat = "table";
    public const string JsonFormat = "json";
    public const string TextFormat = "text";

    /// <summary>
    /// A Region given on the command line, by the Region catalog's rule (DsqlEndpointResolver.IsValidRegion), with
    /// whitespace named as such: a Region pasted with a trailing newline or space is the usual way to get it wrong.
    /// </summary>
    /// <exception cref="UsageException">Naming the option, the value (escaped, so the error stays one line) and the rule.</exception>
    public static string Region(string value, string option)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (RegionWhitespace(value) is { } problem)
        {
            throw new UsageException($"{option} '{Escaped(value)}' {problem}");
        }

        return Workflows.Core.Dsql.DsqlEndpointResolver.IsValidRegion(value)
            ? value
            : throw new UsageException($"{option} '{Escaped(value)}' is not an AWS Region name (the Region catalog's rule: <area>-<direction>-<number>, lowercase, e.g. us-east-1 or eu-west-3)");
    }

    /// <summary>What is wrong with a Region that starts or ends with whitespace (a pasted newline, say), else null.</summary>
    public static string? RegionWhitespace(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0 || !(char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])))
        {
            return null;
        }

        var where = char.IsWhiteSpace(value[^1]) ? "trailing" : "leading";
        return $"has {where} whitespace; a Region name has none (the Region catalog's rule: lowercase letters, digits and hyphens, e.g. us-east-1)";
    }

    /// <summary>Control characters as escapes (\n, \r, \t, \uXXXX), so a value quoted in an error keeps it on one line.</summary>
    public static string Escaped(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var escaped = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }

    /// <summary>The formats --output takes, in the order its help and errors list them.</summary>
    public static readonly IReadOnlyList<string> Formats = [TableFormat, JsonFormat, TextFormat];

    /// <summary>--output table|json|text; a value outside those is a parse error naming the option (exit 2).</summary>
    public static Option<string?> Output() => new("--output")
    {
        Description = "How to print the result: 'table' (default: for people; vertical when the terminal is narrow), 'json' (one JSON document on stdout, progress on stderr) or 'text' (tab-separated lines for scripts, each starting with its kind; see the README).",
        HelpName = string.Join('|', Formats),
        CustomParser = r =>
        {
            var token = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (Formats.Contains(token, StringComparer.Ordinal))
            {
                return token;
            }

            r.AddError($"--output '{token}' is not a format: expected one of {string.Join(", ", Formats)}");
            return null;
        },
    };

    /// <summary>The format asked for: --output, or --json (kept for scripts written before --output).</summary>
    /// <exception cref="UsageException">--json with --output other than json.</exception>
    public static OutputFormat ReadOutput(ParseResult parse, Option<string?> output, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var given = parse.GetValue(output);
        if (parse.GetValue(json))
        {
            return given is null or JsonFormat
                ? OutputFormat.Json
                : throw new UsageException($"--json means --output json; it cannot be combined with --output {given}");
        }

        return given switch
        {
            JsonFormat => OutputFormat.Json,
            TextFormat => OutputFormat.Text,
            _ => OutputFormat.Table,
        };
    }

    public static Option<string?> StateDir() => new("--state-dir")
    {
        Description = "Where the last run is kept (default: $WORKFLOWS_HOME, else ./.workflows).",
    };

    public static Option<string> Functions()
    {
        var option = new Option<string>("--functions")
        {
            Description = $"How the Lambda functions run: '{InProcess}' (default: each step in this process, on the host its bootstrap uses) or '{Process}' (each built bootstrap as a process behind the local Lambda service, through the Runtime API, as on AWS).",
            DefaultValueFactory = _ => InProcess,
        };
        option.AcceptOnlyFromAmong(InProcess, Process);
        return option;
    }

    public static Option<string?> Artifacts() => new("--artifacts")
    {
        Description = "With --functions process: the folder of built functions, one <LogicalId>/bootstrap each (default: artifacts/lambda/<this machine's arch>, what 'make -C functions ARCH=x64' builds).",
    };

    /// <exception cref="UsageException">--artifacts without --functions process.</exception>
    public static FunctionsMode ReadFunctions(ParseResult parse, Option<string> functions, Option<string?> artifacts, CliHost host, out string? artifactsDirectory)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var mode = parse.GetValue(functions) == Process ? FunctionsMode.Process : FunctionsMode.InProcess;
        var given = parse.GetValue(artifacts);
        if (given is not null && mode != FunctionsMode.Process)
        {
            throw new UsageException("--artifacts goes with --functions process (in-process functions need no build)");
        }

        artifactsDirectory = mode == FunctionsMode.Process ? (given is null ? ProcessFunctions.DefaultArtifacts(host) : host.ResolvePath(given)) : null;
        return mode;
    }
}
