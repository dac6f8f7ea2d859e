using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Serving;

/// <summary>A chat completion request after validation; null means the parameter was not sent.</summary>
public sealed record ChatRequest
{
    public required string Model { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public int? MaxTokens { get; init; }

    /// <summary>OpenAI's default is 1.</summary>
    public double Temperature { get; init; } = 1.0;

    public double TopP { get; init; } = 1.0;

    /// <summary>Text that ends the completion; it is left out of the reply.</summary>
    public IReadOnlyList<string> Stop { get; init; } = [];

    public long? Seed { get; init; }

    public bool Logprobs { get; init; }

    public int TopLogprobs { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }
}
