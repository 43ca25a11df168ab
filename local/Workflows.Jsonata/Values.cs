using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Workflows.Jsonata;

/// <summary>JSON null, distinct from C# null which stands for JSONata's "undefined" (no value).</summary>
internal sealed class JNull
{
    public static readonly JNull Instance = new();

    private JNull()
    {
    }
}

/// <summary>
/// An array value. Sequences are the arrays the evaluator builds while mapping over paths: a sequence of one item
/// collapses to that item and an empty one to undefined, unless KeepSingleton was asked for with "[]".
/// Cons marks an array built by an array constructor inside a path, which path flattening must keep whole.
/// </summary>
internal sealed class JList : List<object?>
{
    public JList()
    {
    }

    public JList(IEnumerable<object?> items) : base(items)
    {
    }

    public bool Sequence { get; set; }

    public bool KeepSingleton { get; set; }

    public bool Cons { get; set; }

    public bool TupleStream { get; set; }

    /// <summary>The top-level array input, wrapped so that paths see it as one value.</summary>
    public bool OuterWrapper { get; set; }

    public static JList Seq() => new() { Sequence = true };

    public static JList Seq(object? item)
    {
        var s = Seq();
        if (item is not null)
        {
            s.Add(item);
        }

        return s;
    }
}

/// <summary>An object value; insertion order is kept because JSONata's output keeps it.</summary>
internal sealed class JObject : OrderedDictionary<string, object?>
{
    public JObject() : base(StringComparer.Ordinal)
    {
    }
}

/// <summary>Anything callable: lambdas, built-in functions, partial applications, regexes and transforms.</summary>
internal abstract class JFunc
{
    public abstract int Arity { get; }

    public Signature? Signature { get; init; }
}

internal static class Values
{
    public static bool IsNumber(object? v) => v is double;

    public static bool IsArray(object? v) => v is JList;

    public static bool IsArrayOfStrings(object? v) => v is JList l && l.All(x => x is string);

    public static bool IsArrayOfNumbers(object? v) => v is JList l && l.All(x => x is double);

    public static bool IsInteger(double d) => !double.IsNaN(d) && !double.IsInfinity(d) && Math.Floor(d) == d;

    public static object? FromNode(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JNull.Instance;
            case JsonObject o:
                var obj = new JObject();
                foreach (var (k, v) in o)
                {
                    obj[k] = FromNode(v);
                }

                return obj;
            case JsonArray a:
                var list = new JList();
                foreach (var v in a)
                {
                    list.Add(FromNode(v));
                }

                return list;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case System.Text.Json.JsonValueKind.String:
                        return v.GetValue<string>();
                    case System.Text.Json.JsonValueKind.Number:
                        return v.TryGetValue<double>(out var d) ? d : double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture);
                    case System.Text.Json.JsonValueKind.True:
                        return true;
                    case System.Text.Json.JsonValueKind.False:
                        return false;
                    default:
                        return JNull.Instance;
                }

            default:
                return JNull.Instance;
        }
    }

    /// <summary>Converts a result to JSON; undefined becomes C# null, functions become empty strings as JSON.stringify would drop them.</summary>
    public static JsonNode? ToNode(object? v)
    {
        switch (v)
        {
            case null:
            case JNull:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case double d when !double.IsFinite(d):
                // JSON has no NaN or infinity; JSON.stringify writes null for them.
                return null;
            case double d:
                if (IsInteger(d) && Math.Abs(d) < 1e17)
                {
                    return JsonValue.Create((long)d);
                }

                return JsonValue.Create(d);
            case JList l:
                var arr = new JsonArray();
                foreach (var x in l)
                {
                    if (x is JFunc || x is null)
                    {
                        arr.Add(null);
                        continue;
                    }

                    arr.Add(ToNode(x));
                }

                return arr;
            case JObject o:
                var obj = new JsonObject();
                foreach (var (k, x) in o)
                {
                    if (x is JFunc || x is null)
                    {
                        continue;
                    }

                    obj[k] = ToNode(x);
                }

                return obj;
            case JFunc:
                return JsonValue.Create("");
            default:
                return JsonValue.Create(v.ToString());
        }
    }

    /// <summary>The type name $type reports.</summary>
    public static string? TypeName(object? v) => v switch
    {
        null => null,
        JNull => "null",
        string => "string",
        double => "number",
        bool => "boolean",
        JList => "array",
        JObject => "object",
        JFunc => "function",
        _ => "unknown",
    };

    /// <summary>JSONata's truthiness, as documented for $boolean.</summary>
    public static bool? ToBoolean(object? v)
    {
        switch (v)
        {
            case null:
                return null;
            case JNull:
                return false;
            case bool b:
                return b;
            case string s:
                return s.Length > 0;
            case double d:
                return d != 0 && !double.IsNaN(d);
            case JList l:
                if (l.Count == 1)
                {
                    return ToBoolean(l[0]) ?? false;
                }

                return l.Any(x => ToBoolean(x) == true);
            case JObject o:
                return o.Count > 0;
            case JFunc:
                return false;
            default:
                return false;
        }
    }

    public static bool Truthy(object? v) => ToBoolean(v) == true;

    public static bool DeepEqual(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        switch (a)
        {
            case JNull:
                return b is JNull;
            case string s:
                return b is string t && s == t;
            case double d:
                return b is double e && d == e;
            case bool x:
                return b is bool y && x == y;
            case JList l:
                if (b is not JList m || l.Count != m.Count)
                {
                    return false;
                }

                for (var i = 0; i < l.Count; i++)
                {
                    if (!DeepEqual(l[i], m[i]))
                    {
                        return false;
                    }
                }

                return true;
            case JObject o:
                if (b is not JObject p || o.Count != p.Count)
                {
                    return false;
                }

                foreach (var (k, v) in o)
                {
                    if (!p.TryGetValue(k, out var w) || !DeepEqual(v, w))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ReferenceEquals(a, b);
        }
    }

    public static object? DeepClone(object? v)
    {
        switch (v)
        {
            case JList l:
                var nl = new JList { Sequence = l.Sequence, Cons = l.Cons, KeepSingleton = l.KeepSingleton };
                foreach (var x in l)
                {
                    nl.Add(DeepClone(x));
                }

                return nl;
            case JObject o:
                var no = new JObject();
                foreach (var (k, x) in o)
                {
                    no[k] = DeepClone(x);
                }

                return no;
            default:
                return v;
        }
    }

    /// <summary>Number to text the way JavaScript prints a double (shortest round trip, exponent past 1e21 / below 1e-7).</summary>
    public static string FormatNumber(double d)
    {
        if (d == 0)
        {
            return "0";
        }

        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return d.ToString(CultureInfo.InvariantCulture);
        }

        // The shortest digit string that round-trips, as JavaScript uses, laid out by JavaScript's rules.
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        var neg = shortest.StartsWith('-');
        if (neg)
        {
            shortest = shortest[1..];
        }

        string digits;
        int exp;
        var eIdx = shortest.IndexOfAny(['E', 'e']);
        var mant = eIdx >= 0 ? shortest[..eIdx] : shortest;
        var e10 = eIdx >= 0 ? int.Parse(shortest[(eIdx + 1)..], CultureInfo.InvariantCulture) : 0;
        var dot = mant.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? mant[..dot] : mant;
        var fracPart = dot >= 0 ? mant[(dot + 1)..] : "";
        digits = (intPart + fracPart).TrimStart('0');
        var leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;
        exp = intPart.Length + e10 - leadingZeros; // position of decimal point relative to digits start
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            return "0";
        }

        var k = digits.Length;
        var n = exp;
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        if (k <= n && n <= 21)
        {
            sb.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            sb.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            sb.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var e = n - 1;
            sb.Append(digits[0]);
            if (k > 1)
            {
                sb.Append('.').Append(digits, 1, k - 1);
            }

            sb.Append('e').Append(e >= 0 ? "+" : "-").Append(Math.Abs(e).ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }
}
