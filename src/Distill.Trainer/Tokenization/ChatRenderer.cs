namespace Distill.Trainer.Tokenization;

/// <summary>Renders one chat family; the base checks the conversation's shape once for all of them.</summary>
internal abstract class ChatRenderer
{
    public abstract string FamilyName { get; }

    /// <summary>Strings the rendering relies on being single added tokens of the tokenizer.</summary>
    public abstract IEnumerable<string> RequiredTokens { get; }

    public IReadOnlyList<ChatPart> Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        var (system, turns) = Validate(messages, addGenerationPrompt);
        var parts = new ChatParts();
        Render(system, turns, addGenerationPrompt, parts);
        return parts.Items;
    }

    protected abstract void Render(string? system, IReadOnlyList<ChatMessage> turns, bool addGenerationPrompt, ChatParts parts);

    /// <summary>
    /// The turn layout ChatML and Phi-3 share: a header line, the content, the end-of-turn marker. Only the
    /// assistant's content and its end marker are trained on.
    /// </summary>
    protected static void HeaderedTurns(IReadOnlyList<ChatMessage> turns, string endOfTurn, Func<ChatRole, string> header, ChatParts parts)
    {
        foreach (var turn in turns)
        {
            parts.Plain(header(turn.Role));
            if (turn.Role == ChatRole.Assistant)
            {
                parts.Trained(turn.Content);
                parts.Trained(endOfTurn);
                parts.Plain("\n");
            }
            else
            {
                parts.Plain($"{turn.Content}{endOfTurn}\n");
            }
        }
    }

    protected static string RoleName(ChatRole role) => role switch
    {
        ChatRole.System => "system",
        ChatRole.User => "user",
        _ => "assistant",
    };

    private (string? System, IReadOnlyList<ChatMessage> Turns) Validate(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var system = messages.Count > 0 && messages[0].Role == ChatRole.System ? messages[0].Content : null;
        var turns = messages.Skip(system is null ? 0 : 1).ToArray();
        if (turns.Length == 0)
        {
            throw new ArgumentException("A conversation needs at least one user message.", nameof(messages));
        }

        for (var i = 0; i < turns.Length; i++)
        {
            var expected = i % 2 == 0 ? ChatRole.User : ChatRole.Assistant;
            if (turns[i].Role != expected)
            {
                throw new ArgumentException($"Message {i + (system is null ? 0 : 1)} is {RoleName(turns[i].Role)} where {RoleName(expected)} was expected: after an optional first system message, turns alternate user/assistant.", nameof(messages));
            }
        }

        if (addGenerationPrompt && turns[^1].Role != ChatRole.User)
        {
            throw new ArgumentException("A generation prompt follows a user message, but the conversation ends with the assistant.", nameof(messages));
        }

        return (system, turns);
    }
}
