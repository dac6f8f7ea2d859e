namespace Distill.Trainer.Tokenization;

/// <summary>One tokenizer format behind <see cref="CheckpointTokenizer"/>.</summary>
internal abstract class TokenizerEngine
{
    protected TokenizerEngine(Vocabulary vocabulary) => Vocabulary = vocabulary;

    public Vocabulary Vocabulary { get; }

    public abstract TokenizerKind Kind { get; }

    /// <summary>Merge rules (BPE) or piece scores (SentencePiece): what decides segmentation beyond the vocabulary.</summary>
    public abstract IReadOnlyList<string> Rules { get; }

    /// <summary>The normalisation and splitting settings, in a form two tokenizers can be compared by.</summary>
    public abstract string Pipeline { get; }

    public abstract string Normalize(string text);

    /// <summary>Encodes text that <see cref="Normalize"/> already returned; offsets index that text.</summary>
    public abstract List<TokenSpan> EncodeNormalized(string text);

    public abstract string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens);
}
