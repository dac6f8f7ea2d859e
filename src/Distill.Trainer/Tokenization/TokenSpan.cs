namespace Distill.Trainer.Tokenization;

/// <summary>
/// One token and the characters it came from, <c>[Start, End)</c> in the normalised text
/// (<see cref="CheckpointTokenizer.Normalize"/>). Byte-fallback tokens after the first byte of a character may be
/// empty (<c>Start == End</c>); they still belong to the character at <c>Start</c>.
/// </summary>
public readonly record struct TokenSpan(int Id, int Start, int End)
{
    /// <summary>Whether the token came from any character of <c>[start, end)</c>.</summary>
    public bool Touches(int start, int end) => End > Start
        ? Start < end && start < End
        : start <= Start && Start < end;
}
