using System.Text.Json.Serialization;

namespace Distill.Trainer.Serving.Wire;

/// <summary>The body of a non-streaming <c>POST /v1/chat/completions</c> reply.</summary>
public sealed record ChatCompletionResponse([property: JsonPropertyOrder(-2)] string Id, long Created, string Model, IReadOnlyList<ChatChoice> Choices, ChatUsage Usage)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion";
}

public sealed record ChatChoice(int Index, ChatReplyMessage Message, ChatLogprobs? Logprobs, string FinishReason);

public sealed record ChatReplyMessage(string Content)
{
    [JsonPropertyOrder(-1)]
    public string Role => "assistant";

    public string? Refusal => null;
}

public sealed record ChatUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
