namespace DsqlLocal.Iam;

/// <summary>IAM's two wildcards: <c>*</c> (any run of characters, none included) and <c>?</c> (exactly one).</summary>
internal static class Wildcard
{
    public static bool Matches(string pattern, string text, bool ignoreCase)
    {
        // Greedy match with backtracking to the last '*': linear in practice, no regex to escape.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    /// <summary>
    /// An ARN pattern against an ARN, segment by segment (arn:partition:service:region:account:resource), so a wildcard
    /// in the Region segment cannot swallow the account. "*" alone matches every resource. A resource part may itself
    /// hold colons: everything after the fifth colon is one segment.
    /// </summary>
    public static bool MatchesArn(string pattern, string arn)
    {
        if (pattern == "*")
        {
            return true;
        }

        var want = pattern.Split(':', 6);
        var have = arn.Split(':', 6);
        if (have.Length != 6)
        {
            // The request's resource is not ARN-shaped: compare the whole strings.
            return Matches(pattern, arn, ignoreCase: false);
        }

        if (want.Length != 6)
        {
            // Inferred: a pattern with fewer than six segments (other than "*") names no ARN.
            return false;
        }

        for (var i = 0; i < 6; i++)
        {
            if (!Matches(want[i], have[i], ignoreCase: false))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || (ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b));
}
