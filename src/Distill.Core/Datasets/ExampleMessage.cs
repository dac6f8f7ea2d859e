using System.Text.Json.Serialization;

namespace Distill.Core.Datasets;

/// <summary>
/// One turn of a conversation as OpenAI's chat format carries it. <see cref="Weight"/> is the fine-tuning file's
/// per-message flag: 0 keeps an assistant turn as context without training on it.
/// </summary>
public sealed record ExampleMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string? Content,
    [property: JsonPropertyName("name")] string? Name = null,
    [property: JsonPropertyName("tool_calls")] IReadOnlyList<ExampleToolCall>? ToolCalls = null,
    [property: JsonPropertyName("tool_call_id")] string? ToolCallId = null,
    [property: JsonPropertyName("weight")] int? Weight = null)
{
    public const string System = "system";
    public const string Developer = "developer";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    public static IReadOnlySet<string> Roles { get; } = new HashSet<string>(StringComparer.Ordinal) { System, Developer, User, Assistant, Tool };
}

/// <summary>A function call an assistant turn made; <see cref="Arguments"/> is the JSON text the model produced.</summary>
public sealed record ExampleToolCall(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("arguments")] string Arguments);
