using System.Globalization;
using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// A stored-completions export line: a <c>chat.completion</c> object whose request messages sit under
/// <c>messages</c>, <c>input</c> (the Responses API's name, which may also be a plain string) or
/// <c>request.messages</c>, depending on the exporter. The reply is <c>choices[0].message</c>. The completion's own
/// fields go into metadata (<see cref="CompletionId"/> and the rest) unless the user's metadata already has the key.
/// </summary>
internal sealed class StoredCompletionMapper : IJsonExampleMapper
{
    public const string CompletionId = "completion_id";
    public const string Model = "model";
    public const string Created = "created";
    public const string FinishReason = "finish_reason";
    private const string ReplyPath = "choices[0].message";
    private static readonly string[] UsageCounts = ["prompt_tokens", "completion_tokens", "total_tokens"];
    private readonly MetadataReader _metadata = new();

    public MappedExample Map(JsonElement root, IssueCollector issues)
    {
        var obj = JsonKinds.Property(root, "object"u8);
        if (!JsonKinds.IsAbsent(obj) && !(obj.ValueKind == JsonValueKind.String && obj.ValueEquals("chat.completion"u8)))
        {
            issues.Add("object", obj.ValueKind == JsonValueKind.String
                ? $"expected 'chat.completion', got {JsonKinds.Shown(obj.GetString())}"
                : JsonKinds.Expected("'chat.completion'", obj));
        }

        var (request, prefix, owner) = FindRequest(root, issues);
        var count = request.ValueKind == JsonValueKind.Array ? request.GetArrayLength() : request.ValueKind == JsonValueKind.String ? 1 : 0;
        var paths = new MessagePaths(prefix, count, ReplyPath);
        var messages = new ExampleMessage?[count + 1];
        ReadRequest(request, paths, messages, issues);
        messages[count] = ReadReply(root, paths, count, out var finishReason, issues);

        Dictionary<string, string>? metadata = _metadata.Read(JsonKinds.Property(root, "metadata"u8), issues) ?? new(StringComparer.Ordinal);
        AddCompletionFields(root, metadata, issues);
        if (finishReason is not null)
        {
            metadata.TryAdd(FinishReason, finishReason);
        }

        ToolDefinitions.Keep(owner, ref metadata, issues);
        return new MappedExample(messages, MetadataReader.OrNone(metadata), paths, ReplyPath);
    }

    private static (JsonElement Request, string Prefix, JsonElement Owner) FindRequest(JsonElement root, IssueCollector issues)
    {
        if (root.TryGetProperty("messages"u8, out var messages))
        {
            return (messages, "messages", root);
        }

        if (root.TryGetProperty("input"u8, out var input))
        {
            return (input, "input", root);
        }

        var request = JsonKinds.Property(root, "request"u8);
        if (request.ValueKind == JsonValueKind.Object && request.TryGetProperty("messages"u8, out var requestMessages))
        {
            return (requestMessages, "request.messages", request);
        }

        if (!JsonKinds.IsAbsent(request) && request.ValueKind != JsonValueKind.Object)
        {
            issues.Add("request", $"expected an object, got {JsonKinds.Describe(request)}");
        }
        else
        {
            issues.Add("messages", "missing; a stored completion carries its request under messages, input or request.messages");
        }

        return (default, "messages", root);
    }

    private static void ReadRequest(JsonElement request, MessagePaths paths, ExampleMessage?[] into, IssueCollector issues)
    {
        switch (request.ValueKind)
        {
            case JsonValueKind.Undefined:
                return;
            case JsonValueKind.String when paths.Prefix == "input":
                var text = request.GetString()!;
                into[0] = new ExampleMessage(ExampleMessage.User, text);
                if (string.IsNullOrWhiteSpace(text))
                {
                    issues.Add("input", "empty");
                }

                return;
            case JsonValueKind.Array:
                break;
            default:
                issues.Add(paths.Prefix, $"expected an array of messages, got {JsonKinds.Describe(request)}");
                return;
        }

        if (into.Length == 1)
        {
            issues.Add(paths.Prefix, "empty; the request needs at least one message");
        }

        var i = 0;
        foreach (var item in request.EnumerateArray())
        {
            // Responses-style input also holds function-call items; only messages have a place in a conversation.
            var type = item.ValueKind == JsonValueKind.Object ? JsonKinds.Property(item, "type"u8) : default;
            if (type.ValueKind == JsonValueKind.String && !type.ValueEquals("message"u8))
            {
                issues.Add(paths.Of(i, "type"), $"{JsonKinds.Shown(type.GetString())} items are not supported; only messages");
            }
            else
            {
                into[i] = ChatMessageReader.Read(item, paths, i, issues);
            }

            i++;
        }
    }

    private static ExampleMessage? ReadReply(JsonElement root, MessagePaths paths, int index, out string? finishReason, IssueCollector issues)
    {
        finishReason = null;
        var choices = JsonKinds.Property(root, "choices"u8);
        if (choices.ValueKind != JsonValueKind.Array)
        {
            issues.Add("choices", JsonKinds.Expected("an array of choices", choices));
            return null;
        }

        if (choices.GetArrayLength() == 0)
        {
            issues.Add("choices", "empty; the completion has no reply");
            return null;
        }

        var choice = choices[0];
        if (choice.ValueKind != JsonValueKind.Object)
        {
            issues.Add("choices[0]", $"expected an object, got {JsonKinds.Describe(choice)}");
            return null;
        }

        if (JsonKinds.Property(choice, "finish_reason"u8) is { ValueKind: JsonValueKind.String } reason)
        {
            finishReason = reason.GetString();
        }

        var message = JsonKinds.Property(choice, "message"u8);
        if (message.ValueKind == JsonValueKind.Undefined)
        {
            issues.Add(ReplyPath, "missing");
            return null;
        }

        var reply = ChatMessageReader.Read(message, paths, index, issues);
        if (reply is not null && reply.Role != ExampleMessage.Assistant)
        {
            // Reported here, where the fix is; returning no reply keeps the conversation rules from reporting it again.
            issues.Add($"{ReplyPath}.role", $"expected 'assistant', got '{reply.Role}'");
            return null;
        }

        return reply;
    }

    private static void AddCompletionFields(JsonElement root, Dictionary<string, string> metadata, IssueCollector issues)
    {
        AddString(root, "id"u8, "id", CompletionId, metadata, issues);
        AddString(root, "model"u8, "model", Model, metadata, issues);

        var created = JsonKinds.Property(root, "created"u8);
        if (!JsonKinds.IsAbsent(created))
        {
            if (created.ValueKind == JsonValueKind.Number && created.TryGetInt64(out var seconds)
                && seconds is >= 0 and <= 253_402_300_799)
            {
                metadata.TryAdd(Created, DateTimeOffset.FromUnixTimeSeconds(seconds)
                    .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                issues.Add("created", created.ValueKind == JsonValueKind.Number
                    ? $"expected a Unix time in seconds, got {created.GetRawText()}"
                    : JsonKinds.Expected("a Unix time in seconds", created));
            }
        }

        var usage = JsonKinds.Property(root, "usage"u8);
        if (JsonKinds.IsAbsent(usage))
        {
            return;
        }

        if (usage.ValueKind != JsonValueKind.Object)
        {
            issues.Add("usage", $"expected an object, got {JsonKinds.Describe(usage)}");
            return;
        }

        foreach (var name in UsageCounts)
        {
            var count = usage.TryGetProperty(name, out var value) ? value : default;
            if (count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out _))
            {
                metadata.TryAdd(name, count.GetRawText());
            }
            else if (!JsonKinds.IsAbsent(count))
            {
                issues.Add($"usage.{name}", $"expected a whole number, got {(count.ValueKind == JsonValueKind.Number ? count.GetRawText() : JsonKinds.Describe(count))}");
            }
        }
    }

    private static void AddString(
        JsonElement root, ReadOnlySpan<byte> property, string field, string key, Dictionary<string, string> metadata, IssueCollector issues)
    {
        var value = JsonKinds.Property(root, property);
        if (value.ValueKind == JsonValueKind.String)
        {
            metadata.TryAdd(key, value.GetString()!);
        }
        else if (!JsonKinds.IsAbsent(value))
        {
            issues.Add(field, $"expected a string, got {JsonKinds.Describe(value)}");
        }
    }
}
