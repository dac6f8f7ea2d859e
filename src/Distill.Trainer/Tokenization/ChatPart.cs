namespace Distill.Trainer.Tokenization;

/// <summary>A piece of rendered conversation; <see cref="Trained"/> pieces are assistant content and its end-of-turn token.</summary>
internal readonly record struct ChatPart(string Text, bool Trained);

/// <summary>The parts of one rendering, collected in order.</summary>
internal sealed class ChatParts
{
    private readonly List<ChatPart> _parts = [];

    public IReadOnlyList<ChatPart> Items => _parts;

    public void Plain(string text) => _parts.Add(new ChatPart(text, Trained: false));

    public void Trained(string text) => _parts.Add(new ChatPart(text, Trained: true));
}
