using System.CommandLine;

namespace Workflows.Cli;

/// <summary>
/// "Did you mean ...?" for a mistyped command or option: the nearest name the command being parsed accepts, by
/// edit distance. Nothing is suggested when no name is close, so a wild guess is never offered as an answer.
/// </summary>
internal static class Suggestions
{
    public static string? For(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var command = parsed.CommandResult.Command;
        foreach (var token in parsed.UnmatchedTokens)
        {
            var candidates = token.StartsWith('-')
                ? OptionNames(parsed)
                : command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name);
            if (Nearest(token, candidates) is { } nearest)
            {
                var what = token.StartsWith('-') ? "option" : "command";
                return $"Did you mean the {what} '{nearest}'? ('{token}' is not one{Scope(command, token)})";
            }
        }

        return null;
    }

    /// <summary>The closest candidate within a distance that still reads as a typo (a third of the word, at least 2).</summary>
    public static string? Nearest(string token, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(candidates);
        var limit = Math.Max(2, token.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var distance = Distance(token, candidate);
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static string Scope(Command command, string token) =>
        command is RootCommand ? "" : token.StartsWith('-') ? $" of '{command.Name}'" : $" under '{command.Name}'";

    private static IEnumerable<string> OptionNames(ParseResult parsed)
    {
        // The options of the command itself and the recursive ones of its parents (--help, --version).
        for (var result = parsed.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options)
            {
                if (option.Hidden || (result != parsed.CommandResult && !option.Recursive))
                {
                    continue;
                }

                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
