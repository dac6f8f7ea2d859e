namespace Distill.Trainer.Tokenization;

/// <summary>What Distill takes from a byte-level BPE <c>tokenizer.json</c>; everything else in it was checked to be inert.</summary>
/// <param name="Merges">Merge rules in rank order, each "left right".</param>
/// <param name="SplitPatterns">.NET regexes the pre-tokeniser applies in order, each with the Isolated behaviour.</param>
/// <param name="IgnoreMerges">A pre-token found whole in the vocabulary is emitted without merging (Llama 3).</param>
/// <param name="AddsBos">Whether <c>post_processor</c> puts a special token before the text; null when it says nothing.</param>
internal sealed record ByteLevelBpeSpec(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<string> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    bool Nfc,
    IReadOnlyList<string> SplitPatterns,
    bool IgnoreMerges,
    bool? AddsBos);
