using System.Text;
using System.Text.Json;
using Distill.Core.Imports;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Serving;

/// <summary>
/// Reads a chat completion request as OpenAI does: every refusal names the parameter. Parameters Distill cannot honour
/// are refused rather than ignored, so a client never gets a completion that silently differs from what it asked for.
/// </summary>
public static class ChatRequestParser
{
    private const int MaxStopSequences = 4;
    private const int MaxTopLogprobs = 20;

    public static ChatRequest Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw OpenAiException.InvalidRequest(null, "The request body must be a JSON object.", "invalid_type");
        }

        var n = OptionalInteger(body, "n", min: 1, max: 128);
        if (n is not null and not 1)
        {
            throw OpenAiException.InvalidRequest("n", $"Unsupported value: 'n' must be 1 (got {n}): Distill generates one choice per request.", "unsupported_value");
        }

        RefuseUnsupported(body);
        var stream = OptionalBoolean(body, "stream") ?? false;
        var logprobs = OptionalBoolean(body, "logprobs") ?? false;
        var topLogprobs = OptionalInteger(body, "top_logprobs", min: 0, max: MaxTopLogprobs);
        if (topLogprobs is not null && !logprobs)
        {
            throw OpenAiException.InvalidRequest("top_logprobs", "'top_logprobs' requires 'logprobs' to be true.", "invalid_value");
        }

        return new ChatRequest
        {
            Model = RequiredString(body, "model"),
            Messages = Messages(body),
            MaxTokens = OptionalInteger(body, "max_completion_tokens", min: 1) ?? OptionalInteger(body, "max_tokens", min: 1),
            Temperature = OptionalNumber(body, "temperature", 0, 2) ?? 1.0,
            TopP = OptionalNumber(body, "top_p", 0, 1) ?? 1.0,
            Stop = Stop(body),
            Seed = OptionalLong(body, "seed"),
            Logprobs = logprobs,
            TopLogprobs = topLogprobs ?? 0,
            Stream = stream,
            IncludeUsage = StreamOptions(body, stream),
        };
    }

    private static void RefuseUnsupported(JsonElement body)
    {
        foreach (var name in new[] { "tools", "functions" })
        {
            if (body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
            {
                throw OpenAiException.InvalidRequest(name, $"Unsupported parameter: '{name}': Distill's models do not call tools.", "unsupported_parameter");
            }
        }

        if (body.TryGetProperty("logit_bias", out var bias) && bias.ValueKind == JsonValueKind.Object && bias.EnumerateObject().Any())
        {
            throw OpenAiException.InvalidRequest("logit_bias", "Unsupported parameter: 'logit_bias' is not supported.", "unsupported_parameter");
        }

        foreach (var name in new[] { "presence_penalty", "frequency_penalty" })
        {
            if (OptionalNumber(body, name, -2, 2) is { } penalty && penalty != 0)
            {
                throw OpenAiException.InvalidRequest(name, $"Unsupported value: '{name}' must be 0: Distill does not penalise repetition.", "unsupported_value");
            }
        }

        if (body.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object
            && format.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "text")
        {
            throw OpenAiException.InvalidRequest("response_format", $"Unsupported value: 'response_format.type' '{type.GetString()}': only 'text' is supported.", "unsupported_value");
        }
    }

    private static List<ChatMessage> Messages(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.InvalidRequest("messages", "Missing required parameter: 'messages'.", "missing_required_parameter");
        }

        if (messages.ValueKind != JsonValueKind.Array)
        {
            throw InvalidType("messages", "an array", messages);
        }

        if (messages.GetArrayLength() == 0)
        {
            throw OpenAiException.InvalidRequest("messages", "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "empty_array");
        }

        return messages.EnumerateArray().Select(Message).ToList();
    }

    private static ChatMessage Message(JsonElement message, int index)
    {
        var at = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType(at, "an object", message);
        }

        var roleName = RequiredString(message, "role", at);
        var role = roleName switch
        {
            // OpenAI's newer name for the system message.
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            _ => throw OpenAiException.InvalidRequest($"{at}.role", $"Unsupported value: '{at}.role' '{roleName}': Distill serves 'system', 'developer', 'user' and 'assistant' messages.", "unsupported_value"),
        };

        return new ChatMessage(role, Content(message, $"{at}.content"));
    }

    private static string Content(JsonElement message, string at)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.InvalidRequest(at, $"Missing required parameter: '{at}'.", "missing_required_parameter");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw InvalidType(at, "a string or an array of content parts", content);
        }

        var text = new StringBuilder();
        var index = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partAt = $"{at}[{index++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                throw InvalidType(partAt, "an object", part);
            }

            var type = RequiredString(part, "type", partAt);
            if (type != "text")
            {
                throw OpenAiException.InvalidRequest($"{partAt}.type", $"Unsupported value: '{partAt}.type' '{type}': Distill's models read text parts only.", "unsupported_value");
            }

            text.Append(RequiredString(part, "text", partAt));
        }

        return text.ToString();
    }

    private static List<string> Stop(JsonElement body)
    {
        if (!body.TryGetProperty("stop", out var stop) || stop.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var sequences = stop.ValueKind switch
        {
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array => stop.EnumerateArray().Select((s, i) => s.ValueKind == JsonValueKind.String ? s.GetString()! : throw InvalidType($"stop[{i}]", "a string", s)).ToList(),
            _ => throw InvalidType("stop", "a string or an array of strings", stop),
        };

        if (sequences.Count > MaxStopSequences)
        {
            throw OpenAiException.InvalidRequest("stop", $"Invalid 'stop': array too long. Expected an array with maximum length {MaxStopSequences}, but got an array with length {sequences.Count} instead.", "array_above_max_length");
        }

        if (sequences.Any(s => s.Length == 0))
        {
            throw OpenAiException.InvalidRequest("stop", "Invalid 'stop': a stop sequence cannot be empty.", "invalid_value");
        }

        return sequences;
    }

    private static bool StreamOptions(JsonElement body, bool stream)
    {
        if (!body.TryGetProperty("stream_options", out var options) || options.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        if (!stream)
        {
            throw OpenAiException.InvalidRequest("stream_options", "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "invalid_value");
        }

        if (options.ValueKind != JsonValueKind.Object)
        {
            throw InvalidType("stream_options", "an object", options);
        }

        return OptionalBoolean(options, "include_usage", "stream_options.include_usage") ?? false;
    }

    private static string RequiredString(JsonElement owner, string name, string? at = null)
    {
        var param = at is null ? name : $"{at}.{name}";
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            throw OpenAiException.InvalidRequest(param, $"Missing required parameter: '{param}'.", "missing_required_parameter");
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw InvalidType(param, "a string", value);
    }

    private static bool? OptionalBoolean(JsonElement owner, string name, string? param = null)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw InvalidType(param ?? name, "a boolean", value),
        };
    }

    private static double? OptionalNumber(JsonElement owner, string name, double min, double max)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw InvalidType(name, "a decimal", value);
        }

        var number = value.GetDouble();
        return number < min || number > max
            ? throw OpenAiException.InvalidRequest(name, $"Invalid '{name}': expected a value between {min} and {max}, but got {value.GetRawText()} instead.", "invalid_value")
            : number;
    }

    private static int? OptionalInteger(JsonElement owner, string name, int min, int max = int.MaxValue)
    {
        var number = OptionalLong(owner, name);
        return number < min || number > max
            ? throw OpenAiException.InvalidRequest(name, $"Invalid '{name}': expected an integer between {min} and {max}, but got {number} instead.", "invalid_value")
            : (int?)number;
    }

    private static long? OptionalLong(JsonElement owner, string name)
    {
        if (!owner.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw InvalidType(name, "an integer", value);
    }

    private static OpenAiException InvalidType(string param, string expected, JsonElement got) =>
        OpenAiException.InvalidRequest(param, $"Invalid type for '{param}': expected {expected}, but got {JsonKinds.Describe(got)} instead.", "invalid_type");
}
