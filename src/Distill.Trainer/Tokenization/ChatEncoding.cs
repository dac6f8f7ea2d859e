namespace Distill.Trainer.Tokenization;

/// <summary>
/// A rendered conversation and its token ids. <see cref="AssistantMask"/> is 1 on the tokens of assistant replies
/// and the end-of-turn token closing each, 0 elsewhere: the training loss counts only those.
/// </summary>
/// <param name="Text">The rendered text as the tokenizer saw it (normalised).</param>
public sealed record ChatEncoding(string Text, int[] InputIds, int[] AssistantMask);
