using Distill.Trainer.Inference;

namespace Distill.Trainer.Serving;

/// <summary>One step of a running completion: new text with its tokens, and at the end why it stopped and what it used.</summary>
public sealed record CompletionEvent(string Text, IReadOnlyList<GeneratedToken> Tokens, CompletionEnd? End = null);

/// <param name="FinishReason">"stop" (end of turn or a stop string) or "length".</param>
public sealed record CompletionEnd(string FinishReason, int PromptTokens, int CompletionTokens);
