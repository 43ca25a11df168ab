using System.Text.Json.Serialization;

namespace DsqlLocal.Http;

[JsonSerializable(typeof(string))]
internal sealed partial class RequestJsonContext : JsonSerializerContext;
