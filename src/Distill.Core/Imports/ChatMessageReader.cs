using System.Text;
using System.Text.Json;
using Distill.Core.Datasets;

namespace Distill.Core.Imports;

/// <summary>
/// Reads one OpenAI chat message, reporting every problem under its path. Returns the message whenever its role is
/// known, even with issues, so the conversation rules can still judge its neighbours; null only when it is not a
/// message at all.
/// </summary>
internal static class ChatMessageReader
{
    private static readonly (byte[] Utf8, string Role)[] KnownRoles =
    [
        ("user"u8.ToArray(), ExampleMessage.User),
        ("assistant"u8.ToArray(), ExampleMessage.Assistant),
        ("system"u8.ToArray(), ExampleMessage.System),
        ("tool"u8.ToArray(), ExampleMessage.Tool),
        ("developer"u8.ToArray(), ExampleMessage.Developer),
    ];

    public static ExampleMessage? Read(JsonElement message, MessagePaths paths, int index, IssueCollector issues)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            issues.Add(paths.Of(index), $"expected a message object, got {JsonKinds.Describe(message)}");
            return null;
        }

        // One pass over the message's properties: a lookup per field would rescan the object seven times per message.
        JsonElement roleValue = default, content = default, name = default, toolCalls = default, toolCallId = default, weight = default;
        var legacyFunctionCall = false;
        foreach (var property in message.EnumerateObject())
        {
            if (property.NameEquals("role"u8))
            {
                roleValue = property.Value;
            }
            else if (property.NameEquals("content"u8))
            {
                content = property.Value;
            }
            else if (property.NameEquals("tool_calls"u8))
            {
                toolCalls = property.Value;
            }
            else if (property.NameEquals("tool_call_id"u8))
            {
                toolCallId = property.Value;
            }
            else if (property.NameEquals("weight"u8))
            {
                weight = property.Value;
            }
            else if (property.NameEquals("name"u8))
            {
                name = property.Value;
            }
            else if (property.NameEquals("function_call"u8))
            {
                legacyFunctionCall = property.Value.ValueKind != JsonValueKind.Null;
            }
        }

        var role = ReadRole(roleValue, paths, index, issues);
        if (role is null)
        {
            return null;
        }

        var isAssistant = ReferenceEquals(role, ExampleMessage.Assistant);
        if (legacyFunctionCall)
        {
            issues.Add(paths.Of(index, "function_call"), "the legacy function_call format is not supported; use tool_calls");
        }

        var calls = ReadToolCalls(toolCalls, isAssistant, paths, index, issues);
        var text = ReadContent(content, paths, index, issues);
        if (calls is null)
        {
            // Only an assistant turn that calls tools may say nothing.
            if (content.ValueKind == JsonValueKind.Undefined)
            {
                issues.Add(paths.Of(index, "content"), "missing");
            }
            else if (content.ValueKind == JsonValueKind.Null)
            {
                issues.Add(paths.Of(index, "content"), "expected a string or an array of text parts, got null");
            }
            else if (text is not null && string.IsNullOrWhiteSpace(text))
            {
                issues.Add(paths.Of(index, "content"), "empty");
            }
        }

        return new ExampleMessage(
            role,
            text,
            ReadName(name, paths, index, issues),
            calls,
            ReadToolCallId(toolCallId, role, paths, index, issues),
            ReadWeight(weight, isAssistant, paths, index, issues));
    }

    private static string? ReadRole(JsonElement role, MessagePaths paths, int index, IssueCollector issues)
    {
        if (JsonKinds.IsAbsent(role))
        {
            issues.Add(paths.Of(index, "role"), "missing");
            return null;
        }

        if (role.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, "role"), $"expected a string, got {JsonKinds.Describe(role)}");
            return null;
        }

        // The shared constants, compared as bytes: no string per message for the values every line repeats.
        foreach (var (utf8, known) in KnownRoles)
        {
            if (role.ValueEquals(utf8))
            {
                return known;
            }
        }

        issues.Add(paths.Of(index, "role"),
            $"unknown role {JsonKinds.Shown(role.GetString())}; expected system, developer, user, assistant or tool");
        return null;
    }

    /// <summary>A string as is; text parts joined with a newline, so words of adjacent parts never run together.</summary>
    private static string? ReadContent(JsonElement content, MessagePaths paths, int index, IssueCollector issues)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                return ReadTextParts(content, paths, index, issues);
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return null;
            default:
                issues.Add(paths.Of(index, "content"), $"expected a string or an array of text parts, got {JsonKinds.Describe(content)}");
                return null;
        }
    }

    private static string? ReadTextParts(JsonElement parts, MessagePaths paths, int index, IssueCollector issues)
    {
        string? single = null;
        StringBuilder? joined = null;
        var part = 0;
        var before = issues.Count;
        foreach (var element in parts.EnumerateArray())
        {
            if (ReadTextPart(element, paths, index, part, issues) is { } text)
            {
                if (single is null)
                {
                    single = text;
                }
                else
                {
                    joined ??= new StringBuilder(single);
                    joined.Append('\n').Append(text);
                }
            }

            part++;
        }

        return issues.Count > before ? null : joined?.ToString() ?? single ?? "";
    }

    private static string? ReadTextPart(JsonElement part, MessagePaths paths, int index, int partIndex, IssueCollector issues)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            issues.Add(paths.Of(index, $"content[{partIndex}]"), $"expected a text part object, got {JsonKinds.Describe(part)}");
            return null;
        }

        var type = JsonKinds.Property(part, "type"u8);
        if (type.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, $"content[{partIndex}].type"), JsonKinds.Expected("a string", type));
            return null;
        }

        // input_text and output_text are the Responses API's names for the same thing, as stored-completion inputs use.
        if (!type.ValueEquals("text"u8) && !type.ValueEquals("input_text"u8) && !type.ValueEquals("output_text"u8))
        {
            issues.Add(paths.Of(index, $"content[{partIndex}].type"),
                $"{JsonKinds.Shown(type.GetString())} parts are not supported; only text parts can be imported");
            return null;
        }

        var text = JsonKinds.Property(part, "text"u8);
        if (text.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, $"content[{partIndex}].text"), JsonKinds.Expected("a string", text));
            return null;
        }

        return text.GetString();
    }

    private static List<ExampleToolCall>? ReadToolCalls(JsonElement toolCalls, bool isAssistant, MessagePaths paths, int index, IssueCollector issues)
    {
        if (JsonKinds.IsAbsent(toolCalls))
        {
            return null;
        }

        if (toolCalls.ValueKind != JsonValueKind.Array)
        {
            issues.Add(paths.Of(index, "tool_calls"), $"expected an array of tool calls, got {JsonKinds.Describe(toolCalls)}");
            return null;
        }

        if (!isAssistant)
        {
            issues.Add(paths.Of(index, "tool_calls"), "only assistant messages make tool calls");
            return null;
        }

        var length = toolCalls.GetArrayLength();
        if (length == 0)
        {
            return null;
        }

        var calls = new List<ExampleToolCall>(length);
        var i = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            if (ReadToolCall(call, paths, index, i, issues) is { } read)
            {
                calls.Add(read);
            }

            i++;
        }

        return calls;
    }

    private static ExampleToolCall? ReadToolCall(JsonElement call, MessagePaths paths, int index, int callIndex, IssueCollector issues)
    {
        if (call.ValueKind != JsonValueKind.Object)
        {
            issues.Add(paths.Of(index, $"tool_calls[{callIndex}]"), $"expected a tool call object, got {JsonKinds.Describe(call)}");
            return null;
        }

        var id = ReadNonEmptyString(JsonKinds.Property(call, "id"u8), paths, index, $"tool_calls[{callIndex}].id", issues);
        var type = JsonKinds.Property(call, "type"u8);
        if (!JsonKinds.IsAbsent(type) && !(type.ValueKind == JsonValueKind.String && type.ValueEquals("function"u8)))
        {
            issues.Add(paths.Of(index, $"tool_calls[{callIndex}].type"), type.ValueKind == JsonValueKind.String
                ? $"{JsonKinds.Shown(type.GetString())} tool calls are not supported; only 'function'"
                : $"expected 'function', got {JsonKinds.Describe(type)}");
        }

        var function = JsonKinds.Property(call, "function"u8);
        if (function.ValueKind != JsonValueKind.Object)
        {
            issues.Add(paths.Of(index, $"tool_calls[{callIndex}].function"), JsonKinds.Expected("an object", function));
            return null;
        }

        var name = ReadNonEmptyString(JsonKinds.Property(function, "name"u8), paths, index, $"tool_calls[{callIndex}].function.name", issues);
        var arguments = JsonKinds.Property(function, "arguments"u8);
        if (arguments.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, $"tool_calls[{callIndex}].function.arguments"), JsonKinds.Expected("a string holding the arguments' JSON", arguments));
            return null;
        }

        return id is null || name is null ? null : new ExampleToolCall(id, name, arguments.GetString()!);
    }

    private static string? ReadNonEmptyString(JsonElement value, MessagePaths paths, int index, string field, IssueCollector issues)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, field), JsonKinds.Expected("a string", value));
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0)
        {
            issues.Add(paths.Of(index, field), "empty");
            return null;
        }

        return text;
    }

    private static string? ReadName(JsonElement name, MessagePaths paths, int index, IssueCollector issues)
    {
        if (JsonKinds.IsAbsent(name))
        {
            return null;
        }

        if (name.ValueKind != JsonValueKind.String)
        {
            issues.Add(paths.Of(index, "name"), $"expected a string, got {JsonKinds.Describe(name)}");
            return null;
        }

        return name.GetString();
    }

    private static string? ReadToolCallId(JsonElement id, string role, MessagePaths paths, int index, IssueCollector issues)
    {
        var isTool = ReferenceEquals(role, ExampleMessage.Tool);
        if (JsonKinds.IsAbsent(id))
        {
            if (isTool)
            {
                issues.Add(paths.Of(index, "tool_call_id"), "missing; a tool message names the tool call it answers");
            }

            return null;
        }

        if (!isTool)
        {
            issues.Add(paths.Of(index, "tool_call_id"), "only tool messages answer a tool call");
            return null;
        }

        return ReadNonEmptyString(id, paths, index, "tool_call_id", issues);
    }

    private static int? ReadWeight(JsonElement weight, bool isAssistant, MessagePaths paths, int index, IssueCollector issues)
    {
        if (JsonKinds.IsAbsent(weight))
        {
            return null;
        }

        if (!isAssistant)
        {
            issues.Add(paths.Of(index, "weight"), "only assistant messages take a weight");
            return null;
        }

        if (weight.ValueKind == JsonValueKind.Number && weight.TryGetInt32(out var value) && value is 0 or 1)
        {
            return value;
        }

        issues.Add(paths.Of(index, "weight"),
            $"expected 0 or 1, got {(weight.ValueKind == JsonValueKind.Number ? weight.GetRawText() : JsonKinds.Describe(weight))}");
        return null;
    }
}
