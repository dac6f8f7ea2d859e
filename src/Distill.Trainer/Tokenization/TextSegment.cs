namespace Distill.Trainer.Tokenization;

/// <summary>A stretch of text: an added token (its own characters, not the whitespace it strips) or plain text.</summary>
internal readonly record struct TextSegment(int Offset, int Length, AddedToken? Token)
{
    public int End => Offset + Length;
}
