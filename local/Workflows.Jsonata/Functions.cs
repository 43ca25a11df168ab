using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Workflows.Jsonata;

/// <summary>The standard function library, as documented on docs.jsonata.org (string, numeric, aggregation, boolean, array, object, date/time, higher-order).</summary>
internal static partial class Functions
{
    public static Env CreateRoot()
    {
        var env = new Env(null);
        void Def(string name, string? sig, Func<CallContext, List<object?>, object?> impl) => env.Bind(name, new Native(name, sig, impl));
        static object? A(List<object?> a, int i) => i < a.Count ? a[i] : null;

        // ---- aggregation
        Def("sum", "<a<n>:n>", (c, a) => A(a, 0) is JList l ? l.Sum(x => (double)x!) : null);
        Def("count", "<a:n>", (c, a) => A(a, 0) is JList l ? (double)l.Count : 0d);
        Def("max", "<a<n>:n>", (c, a) => A(a, 0) is JList { Count: > 0 } l ? l.Max(x => (double)x!) : null);
        Def("min", "<a<n>:n>", (c, a) => A(a, 0) is JList { Count: > 0 } l ? l.Min(x => (double)x!) : null);
        Def("average", "<a<n>:n>", (c, a) => A(a, 0) is JList { Count: > 0 } l ? l.Average(x => (double)x!) : null);

        // ---- strings
        Def("string", "<x-b?:s>", (c, a) => A(a, 0) is { } v ? StringOf(v, A(a, 1) is true) : null);
        Def("length", "<s-:n>", (c, a) => A(a, 0) is string s ? (double)CodePoints(s).Count : null);
        Def("substring", "<s-nn?:s>", (c, a) => A(a, 0) is string s ? Substring(s, (double)A(a, 1)!, A(a, 2) as double?) : null);
        Def("substringBefore", "<s-s:s>", (c, a) =>
        {
            if (A(a, 0) is not string s || A(a, 1) is not string chars)
            {
                return A(a, 0);
            }

            var i = s.IndexOf(chars, StringComparison.Ordinal);
            return i < 0 ? s : s[..i];
        });
        Def("substringAfter", "<s-s:s>", (c, a) =>
        {
            if (A(a, 0) is not string s || A(a, 1) is not string chars)
            {
                return A(a, 0);
            }

            var i = s.IndexOf(chars, StringComparison.Ordinal);
            return i < 0 ? s : s[(i + chars.Length)..];
        });
        Def("lowercase", "<s-:s>", (c, a) => (A(a, 0) as string)?.ToLowerInvariant());
        Def("uppercase", "<s-:s>", (c, a) => (A(a, 0) as string)?.ToUpperInvariant());
        Def("trim", "<s-:s>", (c, a) => A(a, 0) is string s ? WhitespaceRun().Replace(s, " ").Trim(' ') : null);
        Def("pad", "<s-ns?:s>", (c, a) => A(a, 0) is string s ? Pad(s, (double)A(a, 1)!, A(a, 2) as string) : null);
        Def("contains", "<s-(sf):b>", (c, a) =>
        {
            if (A(a, 0) is not string s)
            {
                return null;
            }

            return (object?)(A(a, 1) switch
            {
                null => null,
                string t => s.Contains(t, StringComparison.Ordinal),
                var p => Matches(c, p, s, 1).Count > 0,
            });
        });
        Def("split", "<s-(sf)n?:a<s>>", (c, a) => Split(c, a));
        Def("join", "<a<s>s?:s>", (c, a) => A(a, 0) is JList l ? string.Join(A(a, 1) as string ?? "", l.Select(x => (string)x!)) : null);
        Def("match", "<s-f<s:o>n?:a<o>>", (c, a) => Match(c, a));
        Def("replace", "<s-(sf)(sf)n?:s>", (c, a) => Replace(c, a));
        Def("base64encode", "<s-:s>", (c, a) => A(a, 0) is string s ? Convert.ToBase64String(Encoding.UTF8.GetBytes(s)) : null);
        Def("base64decode", "<s-:s>", (c, a) => A(a, 0) is string s ? Encoding.UTF8.GetString(Convert.FromBase64String(s)) : null);
        Def("encodeUrlComponent", "<s-:s>", (c, a) => A(a, 0) is string s ? UrlEncode(s, "-_.!~*'()", "encodeUrlComponent") : null);
        Def("encodeUrl", "<s-:s>", (c, a) => A(a, 0) is string s ? UrlEncode(s, "-_.!~*'();/?:@&=+$,#", "encodeUrl") : null);
        Def("decodeUrlComponent", "<s-:s>", (c, a) => A(a, 0) is string s ? UrlDecode(s, "decodeUrlComponent") : null);
        Def("decodeUrl", "<s-:s>", (c, a) => A(a, 0) is string s ? UrlDecode(s, "decodeUrl") : null);
        Def("eval", "<sx?:x>", (c, a) =>
        {
            if (A(a, 0) is not string src)
            {
                return null;
            }

            Node ast;
            try
            {
                ast = Parser.Parse(src);
            }
            catch (JsonataException ex)
            {
                throw new JsonataException("D3120", $"the expression passed to $eval has a syntax error: {ex.Message}", c.Position);
            }

            try
            {
                return c.Evaluator.Eval(ast, a.Count > 1 ? A(a, 1) : c.Input, c.Evaluator.RootEnv);
            }
            catch (JsonataException ex) when (ex.Code != "U1001")
            {
                throw new JsonataException("D3121", $"the expression passed to $eval failed: {ex.Message}", c.Position);
            }
        });

        // ---- numbers
        Def("number", "<(nsb)-:n>", (c, a) => ToNumber(A(a, 0), c.Position));
        Def("abs", "<n-:n>", (c, a) => A(a, 0) is double d ? Math.Abs(d) : null);
        Def("floor", "<n-:n>", (c, a) => A(a, 0) is double d ? Math.Floor(d) : null);
        Def("ceil", "<n-:n>", (c, a) => A(a, 0) is double d ? Math.Ceiling(d) : null);
        Def("round", "<n-n?:n>", (c, a) => A(a, 0) is double d ? Round(d, A(a, 1) is double p ? (int)p : 0) : null);
        Def("sqrt", "<n-:n>", (c, a) =>
        {
            if (A(a, 0) is not double d)
            {
                return null;
            }

            return d < 0 ? throw new JsonataException("D3060", $"$sqrt cannot take the square root of the negative number {Values.FormatNumber(d)}", c.Position) : Math.Sqrt(d);
        });
        Def("power", "<n-n:n>", (c, a) =>
        {
            if (A(a, 0) is not double b || A(a, 1) is not double e)
            {
                return null;
            }

            var r = Math.Pow(b, e);
            return double.IsFinite(r) ? r : throw new JsonataException("D3061", $"$power({Values.FormatNumber(b)}, {Values.FormatNumber(e)}) is out of range or not a real number", c.Position);
        });
        Def("random", "<:n>", (c, a) => c.Evaluator.Random.NextDouble());
        Def("formatBase", "<n-n?:s>", (c, a) =>
        {
            if (A(a, 0) is not double d)
            {
                return null;
            }

            var radix = A(a, 1) is double r ? (int)r : 10;
            if (radix is < 2 or > 36)
            {
                throw new JsonataException("D3100", $"the radix of $formatBase must be between 2 and 36, not {radix}", c.Position);
            }

            var v = (long)Round(d, 0);
            var neg = v < 0;
            v = Math.Abs(v);
            var sb = new StringBuilder();
            do
            {
                var digit = (int)(v % radix);
                sb.Insert(0, (char)(digit < 10 ? '0' + digit : 'a' + digit - 10));
                v /= radix;
            }
            while (v > 0);
            return (neg ? "-" : "") + sb;
        });
        Def("formatNumber", "<n-so?:s>", (c, a) => A(a, 0) is double d ? NumberFormat.Format(d, (string)A(a, 1)!, A(a, 2) as JObject, c.Position) : null);
        Def("formatInteger", "<n-s:s>", (c, a) => A(a, 0) is double d ? IntegerFormat.Format(d, (string)A(a, 1)!, c.Position) : null);
        Def("parseInteger", "<s-s:n>", (c, a) => A(a, 0) is string s ? IntegerFormat.Parse(s, (string)A(a, 1)!, c.Position) : null);

        // ---- booleans
        Def("boolean", "<x-:b>", (c, a) => Values.ToBoolean(A(a, 0)));
        Def("not", "<x-:b>", (c, a) => A(a, 0) is null ? null : !Values.Truthy(A(a, 0)));
        Def("exists", "<x:b>", (c, a) => A(a, 0) is not null);

        // ---- arrays
        Def("append", "<xx:a>", (c, a) => Evaluator.Append(A(a, 0), A(a, 1)));
        Def("reverse", "<a:a>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var r = new JList(l);
            r.Reverse();
            return r;
        });
        Def("shuffle", "<a:a>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var r = new JList(l);
            for (var i = r.Count - 1; i > 0; i--)
            {
                var j = c.Evaluator.Random.Next(i + 1);
                (r[i], r[j]) = (r[j], r[i]);
            }

            return r;
        });
        Def("distinct", "<x:x>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return A(a, 0);
            }

            var r = new JList();
            foreach (var x in l)
            {
                if (!r.Any(y => Values.DeepEqual(x, y)))
                {
                    r.Add(x);
                }
            }

            return r;
        });
        Def("zip", "<a+>", (c, a) =>
        {
            var lists = a.Select(x => x as JList ?? new JList()).ToList();
            var r = new JList();
            var n = lists.Count == 0 ? 0 : lists.Min(l => l.Count);
            for (var i = 0; i < n; i++)
            {
                r.Add(new JList(lists.Select(l => l[i])));
            }

            return r;
        });
        Def("sort", "<af?:a>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            if (l.Count <= 1)
            {
                return l;
            }

            Func<object?, object?, int> cmp;
            if (A(a, 1) is JFunc f)
            {
                cmp = (x, y) => Values.Truthy(c.Evaluator.Apply(f, [x, y], null, c.Position)) ? 1 : -1;
            }
            else
            {
                if (l.All(x => x is double))
                {
                    cmp = (x, y) => ((double)x!).CompareTo((double)y!);
                }
                else if (l.All(x => x is string))
                {
                    cmp = (x, y) => string.CompareOrdinal((string)x!, (string)y!);
                }
                else
                {
                    throw new JsonataException("D3070", "$sort without a comparator can only sort an array of all numbers or all strings", c.Position);
                }
            }

            return new JList(Evaluator.MergeSort(l.ToList(), cmp));
        });

        // ---- objects
        Def("keys", "<x-:a<s>>", (c, a) =>
        {
            var r = JList.Seq();
            void Add(object? o)
            {
                if (o is JObject jo)
                {
                    foreach (var k in jo.Keys)
                    {
                        if (!r.Contains(k))
                        {
                            r.Add(k);
                        }
                    }
                }
            }

            if (A(a, 0) is JList l)
            {
                foreach (var o in l)
                {
                    Add(o);
                }
            }
            else
            {
                Add(A(a, 0));
            }

            return r;
        });
        Def("lookup", "<x-s:x>", (c, a) => LookupFn(A(a, 0), (string)A(a, 1)!));
        Def("spread", "<x-:a<o>>", (c, a) =>
        {
            var r = JList.Seq();
            void Spread(object? o)
            {
                if (o is JList l)
                {
                    foreach (var x in l)
                    {
                        Spread(x);
                    }
                }
                else if (o is JObject jo)
                {
                    foreach (var (k, v) in jo)
                    {
                        r.Add(new JObject { [k] = v });
                    }
                }
                else
                {
                    r.Add(o);
                }
            }

            if (A(a, 0) is null)
            {
                return null;
            }

            if (A(a, 0) is not (JList or JObject))
            {
                return A(a, 0);
            }

            Spread(A(a, 0));
            // Spreading a non-empty array yields a plain array (even of one or no items); an object or [] a sequence.
            return A(a, 0) is JList { Count: > 0 } ? new JList(r) : r;
        });
        Def("merge", "<a<o>:o>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var r = new JObject();
            foreach (var o in l)
            {
                foreach (var (k, v) in (JObject)o!)
                {
                    r[k] = v;
                }
            }

            return r;
        });
        Def("sift", "<o-f?:o>", (c, a) =>
        {
            if (A(a, 0) is not JObject o)
            {
                return null;
            }

            var f = (JFunc)A(a, 1)!;
            var r = new JObject();
            foreach (var (k, v) in o)
            {
                if (Values.Truthy(c.Evaluator.CallBack(f, c.Position, v, k, o)))
                {
                    r[k] = v;
                }
            }

            return r.Count == 0 ? null : r;
        });
        Def("each", "<o-f:a>", (c, a) =>
        {
            if (A(a, 0) is not JObject o)
            {
                return null;
            }

            var f = (JFunc)A(a, 1)!;
            var r = JList.Seq();
            foreach (var (k, v) in o)
            {
                var x = c.Evaluator.CallBack(f, c.Position, v, k, o);
                if (x is not null)
                {
                    r.Add(x);
                }
            }

            return r;
        });
        Def("error", "<s?:x>", (c, a) => throw new JsonataException("D3137", A(a, 0) as string ?? "$error() function evaluated", c.Position));
        Def("assert", "<bs?:x>", (c, a) =>
        {
            if (A(a, 0) is not true)
            {
                throw new JsonataException("D3141", A(a, 1) as string ?? "$assert() statement failed", c.Position);
            }

            return null;
        });
        Def("type", "<x:s>", (c, a) => Values.TypeName(A(a, 0)));
        Def("clone", "<(oa)-:o>", (c, a) => Values.DeepClone(A(a, 0)));

        // ---- higher-order
        Def("map", "<af>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunc)A(a, 1)!;
            var r = JList.Seq();
            for (var i = 0; i < l.Count; i++)
            {
                var x = c.Evaluator.CallBack(f, c.Position, l[i], (double)i, l);
                if (x is not null)
                {
                    r.Add(x);
                }
            }

            return r;
        });
        Def("filter", "<af>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunc)A(a, 1)!;
            var r = JList.Seq();
            for (var i = 0; i < l.Count; i++)
            {
                if (Values.Truthy(c.Evaluator.CallBack(f, c.Position, l[i], (double)i, l)))
                {
                    r.Add(l[i]);
                }
            }

            return r;
        });
        Def("single", "<af?>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var f = A(a, 1) as JFunc;
            object? found = null;
            var hasFound = false;
            for (var i = 0; i < l.Count; i++)
            {
                if (f is null || Values.Truthy(c.Evaluator.CallBack(f, c.Position, l[i], (double)i, l)))
                {
                    if (hasFound)
                    {
                        throw new JsonataException("D3138", "$single found more than one matching value", c.Position);
                    }

                    found = l[i];
                    hasFound = true;
                }
            }

            return hasFound ? found : throw new JsonataException("D3139", "$single found no matching value", c.Position);
        });
        Def("reduce", "<afj?:j>", (c, a) =>
        {
            if (A(a, 0) is not JList l)
            {
                return null;
            }

            var f = (JFunc)A(a, 1)!;
            if (f.Arity < 2)
            {
                throw new JsonataException("D3050", "the function passed to $reduce must take at least two arguments", c.Position);
            }

            var start = 0;
            var acc = A(a, 2);
            if (acc is null && l.Count > 0)
            {
                acc = l[0];
                start = 1;
            }

            for (var i = start; i < l.Count; i++)
            {
                acc = c.Evaluator.CallBack(f, c.Position, acc, l[i], (double)i, l);
            }

            return acc;
        });

        // ---- date/time
        Def("now", "<s?s?:s>", (c, a) => DateTimeFormat.FromMillis(c.Evaluator.Now.ToUnixTimeMilliseconds(), A(a, 0) as string, A(a, 1) as string, c.Position));
        Def("millis", "<:n>", (c, a) => (double)c.Evaluator.Now.ToUnixTimeMilliseconds());
        Def("fromMillis", "<n-s?s?:s>", (c, a) => A(a, 0) is double d ? DateTimeFormat.FromMillis((long)Math.Floor(d), A(a, 1) as string, A(a, 2) as string, c.Position) : null);
        Def("toMillis", "<s-s?:n>", (c, a) => A(a, 0) is string s ? DateTimeFormat.ToMillis(s, A(a, 1) as string, c.Evaluator.Now, c.Position) : null);
        return env;
    }

    [GeneratedRegex("[ \t\n\r]+")]
    private static partial Regex WhitespaceRun();

    public static List<string> CodePoints(string s)
    {
        var r = new List<string>();
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                r.Add(s.Substring(i, 2));
                i++;
            }
            else
            {
                r.Add(s[i].ToString());
            }
        }

        return r;
    }

    /// <summary>Substring by code points; a negative start counts from the end; fractional positions truncate.</summary>
    private static string Substring(string s, double start, double? length)
    {
        var cps = CodePoints(s);
        var len = cps.Count;
        var b0 = (int)Math.Truncate(start);
        if (b0 < 0)
        {
            b0 = Math.Max(0, len + b0);
        }

        if (length is { } ln)
        {
            if (ln <= 0 || b0 >= len)
            {
                return "";
            }

            var e0 = (int)Math.Min(len, b0 + Math.Truncate(ln));
            return string.Concat(cps.Skip(b0).Take(e0 - b0));
        }

        return b0 < len ? string.Concat(cps.Skip(b0)) : "";
    }

    private static string Pad(string s, double width, string? ch)
    {
        ch = string.IsNullOrEmpty(ch) ? " " : ch;
        var cps = CodePoints(s).Count;
        var w = (int)Math.Abs(width);
        if (cps >= w)
        {
            return s;
        }

        var padCps = CodePoints(ch);
        var sb = new StringBuilder();
        for (var i = 0; i < w - cps; i++)
        {
            sb.Append(padCps[i % padCps.Count]);
        }

        return width > 0 ? s + sb : sb + s;
    }

    public static object? LookupFn(object? input, string key)
    {
        if (input is JList l)
        {
            var r = JList.Seq();
            foreach (var x in l)
            {
                var v = LookupFn(x, key);
                if (v is JList vl)
                {
                    r.AddRange(vl);
                }
                else if (v is not null)
                {
                    r.Add(v);
                }
            }

            return r;
        }

        return input is JObject o && o.TryGetValue(key, out var val) ? val : null;
    }

    public static object? ToNumber(object? v, int position)
    {
        switch (v)
        {
            case null:
                return null;
            case double d:
                return d;
            case bool b:
                return b ? 1d : 0d;
            case string s:
                {
                    var t = s.Trim();
                    double r;
                    if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && long.TryParse(t[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
                    {
                        return (double)hex;
                    }

                    if (t.StartsWith("0b", StringComparison.OrdinalIgnoreCase) && t.Length > 2 && t[2..].All(ch => ch is '0' or '1'))
                    {
                        return (double)Convert.ToInt64(t[2..], 2);
                    }

                    if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase) && t.Length > 2 && t[2..].All(ch => ch is >= '0' and <= '7'))
                    {
                        return (double)Convert.ToInt64(t[2..], 8);
                    }

                    if (t.Length > 0 && NumberText().IsMatch(t) && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out r) && double.IsFinite(r))
                    {
                        return r;
                    }

                    throw new JsonataException("D3030", $"unable to cast \"{s}\" to a number", position, s);
                }

            default:
                throw new JsonataException("D3030", "unable to cast the value to a number", position);
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*|[0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)?$")]
    private static partial Regex NumberText();

    /// <summary>Rounds half to even at the given number of decimal places (negative places round to tens, hundreds...).</summary>
    public static double Round(double d, int precision)
    {
        if (!double.IsFinite(d))
        {
            return d;
        }

        if (Math.Abs(d) < 7.9e27 / Math.Pow(10, Math.Max(precision, 0)) && precision is >= -28 and <= 28)
        {
            try
            {
                var m = decimal.Parse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
                if (precision >= 0)
                {
                    return (double)Math.Round(m, Math.Min(precision, 28), MidpointRounding.ToEven);
                }

                var scale = (decimal)Math.Pow(10, -precision);
                return (double)(Math.Round(m / scale, 0, MidpointRounding.ToEven) * scale);
            }
            catch (OverflowException)
            {
            }
        }

        var f = Math.Pow(10, precision);
        return Math.Round(d * f, MidpointRounding.ToEven) / f;
    }

    // ---------------- $string ----------------
    public static string StringOf(object? v, bool pretty)
    {
        switch (v)
        {
            case string s:
                return s;
            case JFunc:
                return "";
            case double d:
                if (!double.IsFinite(d))
                {
                    throw new JsonataException("D3001", "attempting to turn an infinite number or NaN into a string");
                }

                return Values.FormatNumber(Precision15(d));
            default:
                var sb = new StringBuilder();
                WriteJson(sb, v, pretty, 0);
                return sb.ToString();
        }
    }

    private static double Precision15(double d) => Values.IsInteger(d) ? d : double.Parse(d.ToString("G15", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static void WriteJson(StringBuilder sb, object? v, bool pretty, int indent)
    {
        switch (v)
        {
            case null:
            case JNull:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case double d:
                if (!double.IsFinite(d))
                {
                    throw new JsonataException("D1001", "a number inside the value is infinite or NaN and has no JSON form");
                }

                sb.Append(Values.FormatNumber(Precision15(d)));
                break;
            case string s:
                WriteString(sb, s);
                break;
            case JFunc:
                sb.Append("\"\"");
                break;
            case JList l:
                {
                    if (l.Count == 0)
                    {
                        sb.Append("[]");
                        break;
                    }

                    sb.Append('[');
                    var first = true;
                    foreach (var x in l)
                    {
                        if (!first)
                        {
                            sb.Append(',');
                        }

                        first = false;
                        if (pretty)
                        {
                            sb.Append('\n').Append(' ', (indent + 1) * 2);
                        }

                        WriteJson(sb, x, pretty, indent + 1);
                    }

                    if (pretty)
                    {
                        sb.Append('\n').Append(' ', indent * 2);
                    }

                    sb.Append(']');
                    break;
                }

            case JObject o:
                {
                    var entries = o.Where(kv => kv.Value is not null).ToList();
                    if (entries.Count == 0)
                    {
                        sb.Append("{}");
                        break;
                    }

                    sb.Append('{');
                    var first = true;
                    foreach (var (k, x) in entries)
                    {
                        if (!first)
                        {
                            sb.Append(',');
                        }

                        first = false;
                        if (pretty)
                        {
                            sb.Append('\n').Append(' ', (indent + 1) * 2);
                        }

                        WriteString(sb, k);
                        sb.Append(pretty ? ": " : ":");
                        WriteJson(sb, x, pretty, indent + 1);
                    }

                    if (pretty)
                    {
                        sb.Append('\n').Append(' ', indent * 2);
                    }

                    sb.Append('}');
                    break;
                }
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (ch < 0x20)
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    // ---------------- URLs ----------------
    private static string UrlEncode(string s, string unreserved, string fn)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < s.Length; i++)
        {
            var ch = s[i];
            if (ch is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') || unreserved.Contains(ch, StringComparison.Ordinal))
            {
                sb.Append(ch);
                continue;
            }

            string unit;
            if (char.IsHighSurrogate(ch))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    throw new JsonataException("D3140", $"malformed URL passed to ${fn}(): lone surrogate", -1);
                }

                unit = s.Substring(i, 2);
                i++;
            }
            else if (char.IsLowSurrogate(ch))
            {
                throw new JsonataException("D3140", $"malformed URL passed to ${fn}(): lone surrogate", -1);
            }
            else
            {
                unit = ch.ToString();
            }

            foreach (var b in Encoding.UTF8.GetBytes(unit))
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private static string UrlDecode(string s, string fn)
    {
        var bytes = new List<byte>();
        var sb = new StringBuilder();
        var strict = new UTF8Encoding(false, true);
        void Flush()
        {
            if (bytes.Count == 0)
            {
                return;
            }

            try
            {
                sb.Append(strict.GetString(bytes.ToArray()));
            }
            catch (DecoderFallbackException)
            {
                throw new JsonataException("D3140", $"malformed URL passed to ${fn}(): \"{s}\"", -1);
            }

            bytes.Clear();
        }

        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '%')
            {
                if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
                {
                    throw new JsonataException("D3140", $"malformed URL passed to ${fn}(): \"{s}\"", -1);
                }

                bytes.Add(b);
                i += 2;
            }
            else
            {
                Flush();
                sb.Append(s[i]);
            }
        }

        Flush();
        return sb.ToString();
    }

    // ---------------- regex functions ----------------
    public static object? RegexMatchObject(Evaluator ev, Regex rx, string? s, int start)
    {
        if (s is null)
        {
            return null;
        }

        var m = rx.Match(s, start);
        if (!m.Success)
        {
            return null;
        }

        if (m.Length == 0)
        {
            throw new JsonataException("D1004", "the regular expression matches an empty string", -1);
        }

        var groups = new JList();
        for (var g = 1; g < m.Groups.Count; g++)
        {
            groups.Add(m.Groups[g].Success ? m.Groups[g].Value : "");
        }

        var next = m.Index + m.Length;
        return new JObject
        {
            ["match"] = m.Value,
            ["start"] = (double)m.Index,
            ["end"] = (double)next,
            ["groups"] = groups,
            ["next"] = new Native("next", null, (c, a) => RegexMatchObject(ev, rx, s, next)),
        };
    }

    internal sealed record Found(int Index, string Value, List<string> Groups)
    {
        public int Length => Value.Length;
    }

    /// <summary>Matches of a regex, or of a custom matcher function (one returning {match, start, end, groups, next}).</summary>
    private static List<Found> Matches(CallContext c, object? pattern, string s, int limit)
    {
        var r = new List<Found>();
        if (pattern is RegexFunc rf)
        {
            var m = rf.Regex.Match(s);
            while (m.Success && r.Count < limit)
            {
                if (m.Length == 0)
                {
                    throw new JsonataException("D1004", "the regular expression matches an empty string", c.Position);
                }

                var groups = new List<string>();
                for (var g = 1; g < m.Groups.Count; g++)
                {
                    groups.Add(m.Groups[g].Success ? m.Groups[g].Value : "");
                }

                r.Add(new Found(m.Index, m.Value, groups));
                m = m.NextMatch();
            }

            return r;
        }

        var f = (JFunc)pattern!;
        var first = c.Evaluator.Apply(f, [s], null, c.Position);
        if (first is not (null or JObject))
        {
            throw new JsonataException("T1010", "the matcher function did not return a match object ({match, start, end, groups, next})", c.Position);
        }

        var mo = first as JObject;
        while (mo is not null && r.Count < limit)
        {
            var groups = (mo.TryGetValue("groups", out var gs) ? gs as JList : null)?.Select(x => x as string ?? "").ToList() ?? [];
            var value = mo.TryGetValue("match", out var mv) ? mv as string ?? "" : "";
            var start = mo.TryGetValue("start", out var sv) && sv is double sd ? (int)sd : 0;
            r.Add(new Found(start, value, groups));
            mo = mo.TryGetValue("next", out var nx) && nx is JFunc nf ? c.Evaluator.Apply(nf, [], null, c.Position) as JObject : null;
        }

        return r;
    }

    private static object? Match(CallContext c, List<object?> a)
    {
        if (a.Count < 2 || a[0] is not string s || a[1] is null)
        {
            return null;
        }

        var limit = a.Count > 2 && a[2] is double l ? l : double.MaxValue;
        if (limit < 0)
        {
            throw new JsonataException("D3040", "the limit of $match must not be negative", c.Position);
        }

        var r = JList.Seq();
        foreach (var m in Matches(c, a[1], s, (int)Math.Min(limit, int.MaxValue)))
        {
            r.Add(new JObject { ["match"] = m.Value, ["index"] = (double)m.Index, ["groups"] = new JList(m.Groups) });
        }

        return r;
    }

    private static object? Split(CallContext c, List<object?> a)
    {
        if (a.Count < 2 || a[0] is not string s || a[1] is null)
        {
            return null;
        }

        var limit = a.Count > 2 && a[2] is double l ? l : double.MaxValue;
        if (limit < 0)
        {
            throw new JsonataException("D3020", "the limit of $split must not be negative", c.Position);
        }

        var r = new JList();
        if (a[1] is string sep)
        {
            if (sep.Length == 0)
            {
                foreach (var ch in s)
                {
                    r.Add(ch.ToString());
                }
            }
            else
            {
                foreach (var part in s.Split(sep))
                {
                    r.Add(part);
                }
            }
        }
        else
        {
            var last = 0;
            foreach (var m in Matches(c, a[1], s, int.MaxValue))
            {
                r.Add(s[last..m.Index]);
                last = m.Index + m.Length;
            }

            r.Add(s[last..]);
        }

        if (limit < r.Count)
        {
            r.RemoveRange((int)limit, r.Count - (int)limit);
        }

        return r;
    }

    private static object? Replace(CallContext c, List<object?> a)
    {
        if (a.Count < 2 || a[0] is not string s || a[1] is null || a.Count < 3 || a[2] is null)
        {
            return null;
        }

        var limit = a.Count > 3 && a[3] is double l ? l : double.MaxValue;
        if (limit < 0)
        {
            throw new JsonataException("D3011", "the limit of $replace must not be negative", c.Position);
        }

        var n = (int)Math.Min(limit, int.MaxValue);
        if (a[1] is string pat)
        {
            if (pat.Length == 0)
            {
                throw new JsonataException("D3010", "the pattern of $replace must not be an empty string", c.Position);
            }

            var sb = new StringBuilder();
            var pos = 0;
            var count = 0;
            while (count < n)
            {
                var i = s.IndexOf(pat, pos, StringComparison.Ordinal);
                if (i < 0)
                {
                    break;
                }

                sb.Append(s, pos, i - pos);
                if (a[2] is JFunc rf)
                {
                    var mo = new JObject { ["match"] = pat, ["index"] = (double)i, ["groups"] = new JList() };
                    sb.Append(ReplacementText(c, rf, mo));
                }
                else
                {
                    sb.Append(Substitute((string)a[2]!, pat, []));
                }

                pos = i + pat.Length;
                count++;
            }

            sb.Append(s, pos, s.Length - pos);
            return sb.ToString();
        }

        var result = new StringBuilder();
        var last = 0;
        foreach (var m in Matches(c, a[1], s, n))
        {
            result.Append(s, last, m.Index - last);
            var groups = m.Groups;

            if (a[2] is JFunc rf)
            {
                var mo = new JObject { ["match"] = m.Value, ["index"] = (double)m.Index, ["groups"] = new JList(groups) };
                result.Append(ReplacementText(c, rf, mo));
            }
            else
            {
                result.Append(Substitute((string)a[2]!, m.Value, groups));
            }

            last = m.Index + m.Length;
        }

        result.Append(s, last, s.Length - last);
        return result.ToString();
    }

    private static string ReplacementText(CallContext c, JFunc f, JObject matchObject)
    {
        var r = c.Evaluator.Apply(f, [matchObject], null, c.Position);
        return r as string ?? throw new JsonataException("D3012", "the replacement function of $replace must return a string", c.Position);
    }

    /// <summary>$0 is the whole match, $n a group (the longest group number that exists), $$ a dollar sign.</summary>
    private static string Substitute(string replacement, string match, List<string> groups)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < replacement.Length; i++)
        {
            var ch = replacement[i];
            if (ch != '$' || i + 1 >= replacement.Length)
            {
                sb.Append(ch);
                continue;
            }

            var nx = replacement[i + 1];
            if (nx == '$')
            {
                sb.Append('$');
                i++;
                continue;
            }

            if (!char.IsAsciiDigit(nx))
            {
                sb.Append(ch);
                continue;
            }

            var j = i + 1;
            var num = 0;
            var used = 0;
            var best = -1;
            var bestLen = 0;
            while (j < replacement.Length && char.IsAsciiDigit(replacement[j]))
            {
                num = (num * 10) + (replacement[j] - '0');
                used++;
                if (num <= groups.Count)
                {
                    best = num;
                    bestLen = used;
                }

                j++;
            }

            if (best < 0)
            {
                // No such group: the digits are consumed and nothing is substituted (Inferred from the docs' examples).
                i += 1;
                continue;
            }

            sb.Append(best == 0 ? match : groups[best - 1]);
            i += bestLen;
        }

        return sb.ToString();
    }
}
