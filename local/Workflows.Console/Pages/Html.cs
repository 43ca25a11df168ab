using System.Net;

namespace Workflows.WebConsole.Pages;

/// <summary>Encoding for everything that comes from user data (names, inputs, outputs, errors): text and attributes alike.</summary>
internal static class Html
{
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    /// <summary>A path segment: ARNs keep their colons readable, everything else is escaped.</summary>
    public static string Segment(string value) => Uri.EscapeDataString(value).Replace("%3A", ":", StringComparison.Ordinal);
}
