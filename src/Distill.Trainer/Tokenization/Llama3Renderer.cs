namespace Distill.Trainer.Tokenization;

/// <summary>Llama 3 (not 3.1+, whose template adds a dated system preamble); contents are trimmed as its template does.</summary>
internal sealed class Llama3Renderer(string bos) : ChatRenderer
{
    private const string StartHeader = "<|start_header_id|>", EndHeader = "<|end_header_id|>", EndOfTurn = "<|eot_id|>";

    public override string FamilyName => "Llama 3";

    public override IEnumerable<string> RequiredTokens => [bos, StartHeader, EndHeader, EndOfTurn];

    protected override void Render(string? system, IReadOnlyList<ChatMessage> turns, bool addGenerationPrompt, ChatParts parts)
    {
        parts.Plain(bos);
        if (system is not null)
        {
            parts.Plain($"{Header("system")}{system.Trim()}{EndOfTurn}");
        }

        foreach (var turn in turns)
        {
            parts.Plain(Header(RoleName(turn.Role)));
            if (turn.Role == ChatRole.Assistant)
            {
                parts.Trained(turn.Content.Trim());
                parts.Trained(EndOfTurn);
            }
            else
            {
                parts.Plain($"{turn.Content.Trim()}{EndOfTurn}");
            }
        }

        if (addGenerationPrompt)
        {
            parts.Plain(Header("assistant"));
        }
    }

    private static string Header(string role) => $"{StartHeader}{role}{EndHeader}\n\n";
}
