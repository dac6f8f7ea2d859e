namespace Distill.Trainer.Tokenization;

/// <summary>
/// A token matched in raw text before the model sees it, as Hugging Face's <c>added_tokens</c> define it.
/// <see cref="Special"/> tokens are the ones <c>skip_special_tokens</c> drops when decoding.
/// </summary>
/// <param name="LeftStrip">The match swallows whitespace before the token.</param>
/// <param name="RightStrip">The match swallows whitespace after the token (Phi-3's role markers do).</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool LeftStrip = false, bool RightStrip = false);
