using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Distill.Core.Datasets;

namespace Distill.Core.Curation;

/// <summary>
/// The one way an example is written as a JSONL line, so that equal content gives equal bytes and so equal hashes:
/// properties in a fixed order (messages, metadata, split; within a message role, content, name, tool_calls,
/// tool_call_id, weight; within a tool call id, name, arguments), metadata keys sorted ordinally, nulls and empty
/// lists left out, no whitespace. The escaping is written out here rather than borrowed from an encoder, because an
/// encoder's idea of which characters are safe changes with the runtime's Unicode version and would change the hash:
/// only '"', '\', control characters, U+2028 and U+2029 are escaped, everything else is literal UTF-8, and a lone
/// surrogate (which UTF-8 and Postgres cannot hold) becomes U+FFFD.
/// </summary>
public static class CanonicalJsonl
{
    /// <summary>The line, without its terminating newline.</summary>
    public static string Line(ExampleRecord record, string? split = null)
    {
        var json = new StringBuilder(256);
        json.Append("{\"messages\":[");
        for (var m = 0; m < record.Messages.Count; m++)
        {
            if (m > 0)
            {
                json.Append(',');
            }

            WriteMessage(json, record.Messages[m]);
        }

        json.Append("],\"metadata\":{");
        var first = true;
        foreach (var (key, value) in record.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json.Append(first ? "" : ",");
            first = false;
            WriteString(json, key);
            json.Append(':');
            WriteString(json, value);
        }

        json.Append('}');
        if (split is not null)
        {
            json.Append(",\"split\":");
            WriteString(json, split);
        }

        return json.Append('}').ToString();
    }

    /// <summary>The line as UTF-8 bytes followed by '\n': exactly what a JSONL file of the version holds.</summary>
    public static byte[] LineBytes(ExampleRecord record, string? split = null) => Encoding.UTF8.GetBytes(Line(record, split) + "\n");

    /// <summary>The lowercase hex sha256 of one example's canonical line (without split): its content hash.</summary>
    public static string ContentHash(ExampleRecord record) => Convert.ToHexStringLower(SHA256.HashData(LineBytes(record)));

    private static void WriteMessage(StringBuilder json, ExampleMessage message)
    {
        json.Append("{\"role\":");
        WriteString(json, message.Role);
        WriteOptional(json, "content", message.Content);
        WriteOptional(json, "name", message.Name);
        if (message.ToolCalls is { Count: > 0 } calls)
        {
            json.Append(",\"tool_calls\":[");
            for (var c = 0; c < calls.Count; c++)
            {
                json.Append(c > 0 ? ",{\"id\":" : "{\"id\":");
                WriteString(json, calls[c].Id);
                json.Append(",\"name\":");
                WriteString(json, calls[c].Name);
                json.Append(",\"arguments\":");
                WriteString(json, calls[c].Arguments);
                json.Append('}');
            }

            json.Append(']');
        }

        WriteOptional(json, "tool_call_id", message.ToolCallId);
        if (message.Weight is { } weight)
        {
            json.Append(",\"weight\":").Append(weight.ToString(CultureInfo.InvariantCulture));
        }

        json.Append('}');
    }

    private static void WriteOptional(StringBuilder json, string name, string? value)
    {
        if (value is not null)
        {
            json.Append(",\"").Append(name).Append("\":");
            WriteString(json, value);
        }
    }

    private static void WriteString(StringBuilder json, string value)
    {
        json.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    json.Append("\\\"");
                    break;
                case '\\':
                    json.Append("\\\\");
                    break;
                case '\n':
                    json.Append("\\n");
                    break;
                case '\r':
                    json.Append("\\r");
                    break;
                case '\t':
                    json.Append("\\t");
                    break;
                case '\b':
                    json.Append("\\b");
                    break;
                case '\f':
                    json.Append("\\f");
                    break;
                case < ' ' or '\u2028' or '\u2029':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        json.Append(c).Append(value[++i]);
                    }
                    else
                    {
                        json.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
