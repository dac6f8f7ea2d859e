using Distill.Trainer.Inference;
using Distill.Trainer.Serving.Wire;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Serving;

/// <summary>Generated tokens as OpenAI's <c>logprobs.content</c> entries.</summary>
public static class LogprobEntries
{
    // OpenAI's floor for a probability too small to print; JSON has no -Infinity.
    private const float Floor = -9999f;

    public static ChatLogprobs From(CheckpointTokenizer tokenizer, IEnumerable<GeneratedToken> tokens) =>
        new([.. tokens.Select(token =>
        {
            var (text, bytes) = Describe(tokenizer, token.TokenId);
            var top = token.TopLogprobs.Select(t =>
            {
                var (topText, topBytes) = Describe(tokenizer, t.TokenId);
                return new TopLogprobEntry(topText, Clamp(t.Logprob), topBytes);
            });
            return new TokenLogprobEntry(text, Clamp(token.Logprob), bytes, [.. top]);
        })]);

    private static (string Text, int[] Bytes) Describe(CheckpointTokenizer tokenizer, int id)
    {
        // A model's vocabulary may be padded past the tokenizer's; such ids have no text.
        if (id >= tokenizer.VocabSize)
        {
            return ("", []);
        }

        var bytes = TokenBytes.Of(tokenizer, id);
        return (TokenBytes.Text(bytes), [.. bytes.Select(b => (int)b)]);
    }

    private static float Clamp(float logprob) => float.IsNaN(logprob) ? Floor : Math.Max(logprob, Floor);
}
