using System.Text.Encodings.Web;
using System.Text.Json;

namespace Workflows.EventBridge;

internal static class JsonText
{
    /// <summary>
    /// Writes characters as they are (no \u003C for '&lt;', no escaped accents): the text goes to targets and to API
    /// answers, where AWS sends it unescaped too, and nothing here is embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
