namespace Distill.Trainer.Tokenization;

/// <summary>ChatML, as Qwen2 and SmolLM write it; their templates may add a default system prompt.</summary>
internal sealed class ChatMlRenderer(string? defaultSystemPrompt) : ChatRenderer
{
    private const string Start = "<|im_start|>", End = "<|im_end|>";

    public override string FamilyName => "ChatML";

    public override IEnumerable<string> RequiredTokens => [Start, End];

    protected override void Render(string? system, IReadOnlyList<ChatMessage> turns, bool addGenerationPrompt, ChatParts parts)
    {
        system ??= defaultSystemPrompt;
        if (system is not null)
        {
            parts.Plain($"{Start}system\n{system}{End}\n");
        }

        HeaderedTurns(turns, End, role => $"{Start}{RoleName(role)}\n", parts);

        if (addGenerationPrompt)
        {
            parts.Plain($"{Start}assistant\n");
        }
    }
}
