using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Byte-level BPE: our pre-tokeniser cuts the text, Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> merges each
/// piece. Pieces go through the BPE one at a time so that <c>ignore_merges</c> (whole pre-tokens found in the
/// vocabulary skip merging, as Llama 3 requires) can be honoured, which BpeTokenizer has no switch for.
/// </summary>
internal sealed class ByteLevelBpeEngine : TokenizerEngine
{
    private readonly BpeTokenizer _bpe;
    private readonly ByteLevelPreTokenizer _preTokenizer;
    private readonly IReadOnlyDictionary<string, int> _modelVocab;
    private readonly bool _nfc;
    private readonly bool _ignoreMerges;

    private ByteLevelBpeEngine(ByteLevelBpeSpec spec, Vocabulary vocabulary) : base(vocabulary)
    {
        _modelVocab = spec.Vocab;
        _nfc = spec.Nfc;
        _ignoreMerges = spec.IgnoreMerges;
        Rules = spec.Merges;
        Pipeline = $"normalizer={(spec.Nfc ? "NFC" : "none")}; splits=[{string.Join(" || ", spec.SplitPatterns)}]; ignore_merges={spec.IgnoreMerges}";

        var splits = spec.SplitPatterns.Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant)).ToArray();
        _preTokenizer = new ByteLevelPreTokenizer(new AddedTokenSplitter(vocabulary.AddedTokens), splits);

        try
        {
            // The pre-tokeniser and normaliser make the BpeTokenizer correct on its own too, apart from ignore_merges.
            _bpe = BpeTokenizer.Create(new BpeOptions(spec.Vocab)
            {
                Merges = spec.Merges,
                SpecialTokens = vocabulary.AddedTokens.ToDictionary(t => t.Content, t => t.Id),
                PreTokenizer = _preTokenizer,
                Normalizer = spec.Nfc ? NfcNormalizer.Instance : null,
                ByteLevel = true,
            });
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidDataException($"{TokenizerJsonReader.FileName}: model.merges does not fit model.vocab ({ex.Message}).", ex);
        }
    }

    public override TokenizerKind Kind => TokenizerKind.ByteLevelBpe;

    public override IReadOnlyList<string> Rules { get; }

    public override string Pipeline { get; }

    public static ByteLevelBpeEngine Load(string path, TokenizerConfig config)
    {
        var spec = TokenizerJsonReader.Read(path);
        var vocabulary = new Vocabulary(spec.Vocab, spec.AddedTokens.Concat(config.AddedTokens), $"{TokenizerJsonReader.FileName} with {TokenizerConfig.FileName}");
        return new ByteLevelBpeEngine(spec, vocabulary) { AddsBos = config.AddBosToken ?? spec.AddsBos ?? false };
    }

    /// <summary>Whether Hugging Face puts the BOS token before plain text it encodes with special tokens on.</summary>
    public bool AddsBos { get; private init; }

    public override string Normalize(string text) => _nfc ? NfcNormalizer.Instance.Normalize(text) : text;

    protected override IEnumerable<TextSegment> Segments(string text) => _preTokenizer.Split(text);

    protected override void EncodeOrdinary(string text, TextSegment piece, List<TokenSpan> spans)
    {
        var span = text.AsSpan(piece.Offset, piece.Length);
        if (_ignoreMerges && _modelVocab.TryGetValue(ByteLevelAlphabet.Encode(span), out var whole))
        {
            spans.Add(new TokenSpan(whole, piece.Offset, piece.End));
            return;
        }

        foreach (var token in _bpe.EncodeToTokens(span, out _, considerPreTokenization: false, considerNormalization: false))
        {
            var (start, length) = token.Offset.GetOffsetAndLength(piece.Length);
            spans.Add(new TokenSpan(token.Id, piece.Offset + start, piece.Offset + start + length));
        }
    }

    protected override string DecodeOrdinary(IReadOnlyList<int> run)
    {
        var bytes = new List<byte>();
        foreach (var id in run)
        {
            if (!ByteLevelAlphabet.TryAppendBytes(Vocabulary.TokenOf(id)!, bytes))
            {
                throw new InvalidDataException($"{TokenizerJsonReader.FileName}: vocabulary token {id} '{Vocabulary.TokenOf(id)}' is not spelled in byte-level symbols.");
            }
        }

        // Invalid UTF-8 (a token sequence cut mid-character) becomes U+FFFD, as Hugging Face's decoder does.
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
