using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workflows.Engine.Paths;

/// <summary>Type tests and conversions on JSON nodes, shared by Choice, filters and the intrinsics.</summary>
public static class JsonValues
{
    // Step Functions prints payloads without HTML-safe escaping (a quote stays ', not \u0027).
    private static readonly JsonSerializerOptions Compact = new()
    {
        WriteIndented = false,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // ToJsonString(Compact) writes with these settings (the options' writer settings; MaxDepth 0 means 64).
    private static readonly JsonWriterOptions CountingWriterOptions = new()
    {
        Encoder = Compact.Encoder,
        Indented = false,
        MaxDepth = Compact.MaxDepth == 0 ? 64 : Compact.MaxDepth,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static ByteCounter? t_counter;

    [ThreadStatic]
    private static Utf8JsonWriter? t_countingWriter;

    public static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    public static bool TryGetNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
        {
            return false;
        }

        if (v.TryGetValue<decimal>(out value))
        {
            return true;
        }

        // Values the engine creates (States.MathAdd, context fields, ...) hold a long or an int; reading them as
        // such avoids the serialise-and-parse fallback below, which used to run on every counter comparison.
        if (v.TryGetValue<long>(out var l))
        {
            value = l;
            return true;
        }

        if (v.TryGetValue<int>(out var n))
        {
            value = n;
            return true;
        }

        if (v.TryGetValue<JsonElement>(out var e) && e.TryGetDecimal(out value))
        {
            return true;
        }

        if (v.TryGetValue<double>(out var d) && !double.IsNaN(d) && !double.IsInfinity(d) && Math.Abs(d) < 7.9e28)
        {
            value = (decimal)d;
            return true;
        }

        return decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = string.Empty;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        return false;
    }

    public static bool TryGetBoolean(JsonNode? node, out bool value)
    {
        value = false;
        switch (Kind(node))
        {
            case JsonValueKind.True:
                value = true;
                return true;
            case JsonValueKind.False:
                return true;
            default:
                return false;
        }
    }

    public static bool IsInteger(JsonNode? node) => TryGetNumber(node, out var d) && d == decimal.Truncate(d);

    /// <summary>RFC 3339 timestamps as ASL requires them: a 'T' separator and an explicit offset or 'Z'.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length < 20 || (text[10] != 'T' && text[10] != 't'))
        {
            return false;
        }

        var last = text[^1];
        var hasZone = last is 'Z' or 'z' || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');
        return hasZone && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }

    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString(Compact);

    /// <summary>
    /// The UTF-8 length of <see cref="ToJson"/>'s text, counted without building it: the node is written with the
    /// same writer settings into a buffer that only counts. The payload limit is checked on every state's input
    /// and output, and building a string for it was a large share of a cheap state's cost.
    /// </summary>
    public static int Utf8Size(JsonNode? node)
    {
        if (node is null)
        {
            return 4; // null
        }

        var counter = t_counter ??= new ByteCounter();
        counter.Reset();
        var writer = t_countingWriter ??= new Utf8JsonWriter(counter, CountingWriterOptions);
        try
        {
            node.WriteTo(writer, Compact);
            writer.Flush();
            return checked((int)counter.Count);
        }
        finally
        {
            writer.Reset(counter);
        }
    }

    public static JsonNode? Parse(string json) =>
        JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 512 });

    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    /// <summary>The ISO-8601 form Step Functions prints in the context object and history (millisecond precision).</summary>
    public static string FormatTimestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An <see cref="IBufferWriter{T}"/> that keeps only the number of bytes written, reusing one scratch buffer.</summary>
    private sealed class ByteCounter : IBufferWriter<byte>
    {
        private byte[] _scratch = new byte[4096];

        public long Count { get; private set; }

        public void Reset() => Count = 0;

        public void Advance(int count) => Count += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => Scratch(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => Scratch(sizeHint);

        private byte[] Scratch(int sizeHint)
        {
            if (sizeHint > _scratch.Length)
            {
                _scratch = new byte[Math.Max(sizeHint, _scratch.Length * 2)];
            }

            return _scratch;
        }
    }
}
