using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Workflows.Core.Dsql;

namespace DsqlLocal.Http;

/// <summary>
/// The shared wire context with AWS-like escaping: messages quote values in apostrophes and patterns hold
/// '+', which the default encoder would turn into \u0027 and \u002B.
/// </summary>
internal static class WireJson
{
    public static DsqlJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
