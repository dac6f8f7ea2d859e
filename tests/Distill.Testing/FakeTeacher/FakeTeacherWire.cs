using System.Text;
using System.Text.Json;

namespace Distill.Testing.FakeTeacher;

/// <summary>The JSON bodies OpenAI and Azure OpenAI send, written by hand so the fake stays cheap under load. TEST FIXTURE.</summary>
public static class FakeTeacherWire
{
    public static byte[] Completion(string id, long created, string model, FakeTeacherRequest request, FakeTeacherAnswer answer, bool withMetadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Header(json, id, created, model, "chat.completion");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("message");
            json.WriteString("role", "assistant");
            json.WriteString("content", answer.Text);
            json.WriteNull("refusal");
            json.WriteEndObject();
            Logprobs(json, request, answer.Tokens, 0);
            json.WriteString("finish_reason", answer.FinishReason);
            json.WriteEndObject();
            json.WriteEndArray();
            Usage(json, answer);
            if (withMetadata)
            {
                Metadata(json, request.Metadata);
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>One streamed token (or the opening role chunk when <paramref name="position"/> is negative, the closing one when it is past the end).</summary>
    public static byte[] Chunk(string id, long created, string model, FakeTeacherRequest request, FakeTeacherAnswer answer, int position)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Header(json, id, created, model, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            if (position < 0)
            {
                json.WriteString("role", "assistant");
                json.WriteString("content", "");
            }
            else if (position < answer.Tokens.Count)
            {
                json.WriteString("content", answer.Tokens[position]);
            }

            json.WriteEndObject();
            if (position >= 0 && position < answer.Tokens.Count)
            {
                Logprobs(json, request, [answer.Tokens[position]], position);
            }
            else
            {
                json.WriteNull("logprobs");
            }

            if (position >= answer.Tokens.Count)
            {
                json.WriteString("finish_reason", answer.FinishReason);
            }
            else
            {
                json.WriteNull("finish_reason");
            }

            json.WriteEndObject();
            json.WriteEndArray();
            if (request.IncludeUsage)
            {
                json.WriteNull("usage");
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The extra last chunk <c>stream_options.include_usage</c> asks for: no choices, only usage.</summary>
    public static byte[] UsageChunk(string id, long created, string model, FakeTeacherAnswer answer)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            Header(json, id, created, model, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            Usage(json, answer);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static byte[] List(IReadOnlyList<byte[]> completions, IReadOnlyList<string> ids, bool hasMore)
    {
        var body = new StringBuilder();
        body.Append("{\"object\":\"list\",\"data\":[");
        body.AppendJoin(',', completions.Select(c => Encoding.UTF8.GetString(c)));
        body.Append("],\"first_id\":").Append(ids.Count > 0 ? JsonSerializer.Serialize(ids[0]) : "null");
        body.Append(",\"last_id\":").Append(ids.Count > 0 ? JsonSerializer.Serialize(ids[^1]) : "null");
        body.Append(",\"has_more\":").Append(hasMore ? "true" : "false").Append('}');
        return Encoding.UTF8.GetBytes(body.ToString());
    }

    /// <summary>OpenAI: message, type, param, code. Azure: code (often the status as a string) and message.</summary>
    public static byte[] Error(FakeTeacherFlavor flavor, int status, string message, string? code = null)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("error");
            if (flavor == FakeTeacherFlavor.Azure)
            {
                json.WriteString("code", code ?? status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                json.WriteString("message", message);
            }
            else
            {
                json.WriteString("message", message);
                json.WriteString("type", status switch { 429 => "requests", >= 500 => "server_error", _ => "invalid_request_error" });
                json.WriteNull("param");
                if (code is null)
                {
                    json.WriteNull("code");
                }
                else
                {
                    json.WriteString("code", code);
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void Header(Utf8JsonWriter json, string id, long created, string model, string kind)
    {
        json.WriteString("id", id);
        json.WriteString("object", kind);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
        json.WriteString("system_fingerprint", "fp_fake");
    }

    private static void Usage(Utf8JsonWriter json, FakeTeacherAnswer answer)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", answer.PromptTokens);
        json.WriteNumber("completion_tokens", answer.CompletionTokens);
        json.WriteNumber("total_tokens", answer.PromptTokens + answer.CompletionTokens);
        json.WriteEndObject();
    }

    private static void Metadata(Utf8JsonWriter json, IReadOnlyDictionary<string, string> metadata)
    {
        json.WriteStartObject("metadata");
        foreach (var (key, value) in metadata)
        {
            json.WriteString(key, value);
        }

        json.WriteEndObject();
    }

    private static void Logprobs(Utf8JsonWriter json, FakeTeacherRequest request, IReadOnlyList<string> tokens, int firstPosition)
    {
        if (!request.Logprobs)
        {
            json.WriteNull("logprobs");
            return;
        }

        json.WriteStartObject("logprobs");
        json.WriteStartArray("content");
        for (var i = 0; i < tokens.Count; i++)
        {
            var position = firstPosition + i;
            json.WriteStartObject();
            TokenFields(json, tokens[i], FakeTeacherAnswer.LogprobOf(position));
            json.WriteStartArray("top_logprobs");
            foreach (var (token, logprob) in FakeTeacherAnswer.TopLogprobsOf(tokens[i], position, request.TopLogprobs))
            {
                json.WriteStartObject();
                TokenFields(json, token, logprob);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("refusal");
        json.WriteEndObject();
    }

    private static void TokenFields(Utf8JsonWriter json, string token, float logprob)
    {
        json.WriteString("token", token);
        json.WriteNumber("logprob", logprob);
        json.WriteStartArray("bytes");
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            json.WriteNumberValue(b);
        }

        json.WriteEndArray();
    }
}
