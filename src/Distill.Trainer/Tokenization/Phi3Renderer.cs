namespace Distill.Trainer.Tokenization;

/// <summary>
/// Phi-3. Some of its templates open with BOS and end a finished conversation with EOS; the renderer does so when
/// the template mentions those tokens.
/// </summary>
internal sealed class Phi3Renderer(string? bos, string? eos) : ChatRenderer
{
    private const string End = "<|end|>";

    public override string FamilyName => "Phi-3";

    public override IEnumerable<string> RequiredTokens =>
        new[] { "<|system|>", "<|user|>", "<|assistant|>", End, bos, eos }.OfType<string>();

    protected override void Render(string? system, IReadOnlyList<ChatMessage> turns, bool addGenerationPrompt, ChatParts parts)
    {
        if (bos is not null)
        {
            parts.Plain(bos);
        }

        if (system is not null)
        {
            parts.Plain($"<|system|>\n{system}{End}\n");
        }

        HeaderedTurns(turns, End, role => $"<|{RoleName(role)}|>\n", parts);

        if (addGenerationPrompt)
        {
            parts.Plain("<|assistant|>\n");
        }
        else if (eos is not null)
        {
            parts.Plain(eos);
        }
    }
}
