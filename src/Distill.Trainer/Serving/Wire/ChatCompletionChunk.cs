using System.Text.Json.Serialization;

namespace Distill.Trainer.Serving.Wire;

/// <summary>One server-sent event of a streaming <c>POST /v1/chat/completions</c> reply.</summary>
public sealed record ChatCompletionChunk(
    [property: JsonPropertyOrder(-2)] string Id,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatUsage? Usage = null)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion.chunk";
}

public sealed record ChunkChoice(int Index, ChunkDelta Delta, ChatLogprobs? Logprobs, string? FinishReason);

/// <summary>What a chunk adds: the role once at the start, then content; the final chunk's delta is empty.</summary>
public sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);
