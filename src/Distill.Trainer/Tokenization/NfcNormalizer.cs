using Microsoft.ML.Tokenizers;

namespace Distill.Trainer.Tokenization;

/// <summary>Unicode NFC, the <c>normalizer</c> Qwen2's tokenizer.json asks for.</summary>
internal sealed class NfcNormalizer : Normalizer
{
    public static readonly NfcNormalizer Instance = new();

    public override string Normalize(string original) => UnicodeNfc.Normalize(original);

    public override string Normalize(ReadOnlySpan<char> original) => UnicodeNfc.Normalize(original.ToString());
}
