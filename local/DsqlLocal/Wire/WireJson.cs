using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DsqlLocal.Wire;

/// <summary>
/// The emulator's serializer context for every body it sends. AWS-like escaping: messages quote values in
/// apostrophes and patterns hold '+', which the default encoder would turn into \u0027 and \u002B.
/// </summary>
internal static class WireJson
{
    public static DsqlLocalJsonContext Context { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsWriter() },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

[JsonSerializable(typeof(CreateClusterOutput))]
[JsonSerializable(typeof(GetClusterOutput))]
[JsonSerializable(typeof(ClusterStatusOutput))]
[JsonSerializable(typeof(ListClustersOutput))]
[JsonSerializable(typeof(ListTagsForResourceOutput))]
[JsonSerializable(typeof(WireErrorBody))]
[JsonSerializable(typeof(GetClusterPolicyOutput))]
[JsonSerializable(typeof(PolicyVersionOutput))]
[JsonSerializable(typeof(CreateStreamOutput))]
[JsonSerializable(typeof(GetStreamOutput))]
[JsonSerializable(typeof(DeleteStreamOutput))]
[JsonSerializable(typeof(ListStreamsOutput))]
[JsonSerializable(typeof(GetVpcEndpointServiceNameOutput))]
internal sealed partial class DsqlLocalJsonContext : JsonSerializerContext;

/// <summary>rest-json timestamps: epoch seconds as a JSON number, milliseconds as the fraction.</summary>
internal sealed class EpochSecondsWriter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(reader.GetDecimal() * 1000m, MidpointRounding.AwayFromZero));

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
}
