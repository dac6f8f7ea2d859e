namespace Distill.Trainer.Tokenization;

/// <summary>
/// The [INST] formats. Llama 2 folds the system prompt into the first user turn inside &lt;&lt;SYS&gt;&gt; and strips
/// contents; Mistral v0.2 puts it before the first user message followed by a blank line and strips nothing.
/// Neither has an assistant header, so a generation prompt ends at [/INST].
/// </summary>
internal sealed class InstRenderer(bool llama2, string bos, string eos) : ChatRenderer
{
    public override string FamilyName => llama2 ? "Llama 2" : "Mistral";

    public override IEnumerable<string> RequiredTokens => [bos, eos];

    protected override void Render(string? system, IReadOnlyList<ChatMessage> turns, bool addGenerationPrompt, ChatParts parts)
    {
        if (!llama2)
        {
            parts.Plain(bos);
        }

        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            var first = i == 0 && system is not null;
            if (turn.Role == ChatRole.User && llama2)
            {
                var content = first ? $"<<SYS>>\n{system}\n<</SYS>>\n\n{turn.Content}" : turn.Content;
                parts.Plain($"{bos}[INST] {content.Trim()} [/INST]");
            }
            else if (turn.Role == ChatRole.User)
            {
                parts.Plain($" [INST] {(first ? system + "\n\n" : "")}{turn.Content} [/INST]");
            }
            else
            {
                parts.Plain(" ");
                parts.Trained(llama2 ? turn.Content.Trim() : turn.Content);
                if (llama2)
                {
                    parts.Plain(" ");
                }

                parts.Trained(eos);
            }
        }
    }
}
