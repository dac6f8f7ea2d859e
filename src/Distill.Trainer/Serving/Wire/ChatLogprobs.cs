namespace Distill.Trainer.Serving.Wire;

/// <summary>A choice's <c>logprobs</c>: one entry per reply token.</summary>
public sealed record ChatLogprobs(IReadOnlyList<TokenLogprobEntry> Content)
{
    public IReadOnlyList<TokenLogprobEntry>? Refusal => null;
}

/// <param name="Bytes">The token's UTF-8 bytes as numbers (a byte array would be written as base64).</param>
public sealed record TokenLogprobEntry(string Token, float Logprob, IReadOnlyList<int> Bytes, IReadOnlyList<TopLogprobEntry> TopLogprobs);

public sealed record TopLogprobEntry(string Token, float Logprob, IReadOnlyList<int> Bytes);
