using System.Globalization;
using Microsoft.ML.Tokenizers;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// SentencePiece BPE through Microsoft.ML.Tokenizers' <see cref="LlamaTokenizer"/>. Added tokens are cut out first
/// and each stretch of text between them is encoded on its own, so every stretch gets the dummy-prefix "▁"; that is
/// what the tokenizer.json Llama 2, Mistral and Phi-3 ship (a Prepend normaliser) and the slow tokenizer do.
/// </summary>
internal sealed class SentencePieceEngine : TokenizerEngine
{
    private readonly SentencePieceTokenizer _sentencePiece;
    private readonly AddedTokenSplitter _addedTokens;
    private readonly int _prefixLength;

    private SentencePieceEngine(SentencePieceModel model, byte[] bytes, Vocabulary vocabulary) : base(vocabulary)
    {
        _sentencePiece = LlamaTokenizer.Create(new MemoryStream(bytes), addBeginOfSentence: false, addEndOfSentence: false, specialTokens: null);
        _addedTokens = new AddedTokenSplitter(vocabulary.AddedTokens);
        _prefixLength = model.AddDummyPrefix ? 1 : 0;
        Rules = model.Pieces.Select(p => $"{p.Score.ToString("R", CultureInfo.InvariantCulture)} {p.Type}").ToArray();
        Pipeline = $"add_dummy_prefix={model.AddDummyPrefix}; escape_whitespaces={model.EscapeWhitespaces}; byte_fallback={model.ByteFallback}";
        BosPiece = PieceAt(model, model.BosId);
        EosPiece = PieceAt(model, model.EosId);
    }

    public override TokenizerKind Kind => TokenizerKind.SentencePiece;

    public override IReadOnlyList<string> Rules { get; }

    public override string Pipeline { get; }

    /// <summary>The model's own BOS and EOS pieces, for when tokenizer_config.json does not name them.</summary>
    public string? BosPiece { get; }

    public string? EosPiece { get; }

    public static SentencePieceEngine Load(string path, TokenizerConfig config, IEnumerable<AddedToken> tokenizerJsonAddedTokens)
    {
        var bytes = File.ReadAllBytes(path);
        var model = SentencePieceModel.Read(bytes);
        Check(model);

        var pieces = new Dictionary<string, int>(StringComparer.Ordinal);
        var controls = new List<AddedToken>();
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            var piece = model.Pieces[id];
            if (!pieces.TryAdd(piece.Text, id))
            {
                throw new InvalidDataException($"{SentencePieceModel.FileName}: pieces lists '{piece.Text}' twice.");
            }

            // Hugging Face registers <unk>, <s>, </s> as special tokens, so they are matched whole in text.
            if (piece.Type is SentencePieceModel.Control or SentencePieceModel.Unknown)
            {
                controls.Add(new AddedToken(id, piece.Text, Special: true));
            }
        }

        // The config's entries come first: where a token is listed twice, its flags (rstrip...) win over the defaults.
        var added = config.AddedTokens.Concat(tokenizerJsonAddedTokens).Concat(controls);
        var vocabulary = new Vocabulary(pieces, added, $"{SentencePieceModel.FileName} with {TokenizerConfig.FileName}");
        return new SentencePieceEngine(model, bytes, vocabulary);
    }

    public override string Normalize(string text) => text;

    protected override IEnumerable<TextSegment> Segments(string text) => _addedTokens.Split(text);

    protected override void EncodeOrdinary(string text, TextSegment segment, List<TokenSpan> spans)
    {
        var piece = text.Substring(segment.Offset, segment.Length);
        var tokens = _sentencePiece.EncodeToTokens(piece, out var normalized, addBeginningOfSentence: false, addEndOfSentence: false,
            considerPreTokenization: false, considerNormalization: true);
        var normalizedLength = normalized?.Length ?? piece.Length;
        if (normalizedLength != piece.Length + _prefixLength)
        {
            throw new InvalidOperationException($"SentencePiece normalisation changed '{piece}' beyond the dummy prefix, so token offsets would be wrong.");
        }

        foreach (var token in tokens)
        {
            var (start, length) = token.Offset.GetOffsetAndLength(normalizedLength);
            spans.Add(new TokenSpan(token.Id, segment.Offset + Unprefixed(start, segment.Length), segment.Offset + Unprefixed(start + length, segment.Length)));
        }
    }

    // Each run was encoded on its own with a dummy prefix, which decoding it on its own removes again.
    protected override string DecodeOrdinary(IReadOnlyList<int> run) => _sentencePiece.Decode(run, considerSpecialTokens: false);

    private int Unprefixed(int normalizedIndex, int length) => Math.Clamp(normalizedIndex - _prefixLength, 0, length);

    private static string? PieceAt(SentencePieceModel model, int id) => id >= 0 && id < model.Pieces.Count ? model.Pieces[id].Text : null;

    private static void Check(SentencePieceModel model)
    {
        const string file = SentencePieceModel.FileName;
        if (model.ModelType != SentencePieceModel.Bpe)
        {
            throw new NotSupportedException($"{file}: trainer_spec.model_type is {model.ModelType}, and only BPE (2) models such as Llama 2, Mistral and Phi-3 are loaded.");
        }

        if (model.NormalizerName is not ("" or "identity") || model.PrecompiledCharsmapLength > 0)
        {
            throw new NotSupportedException($"{file}: normalizer_spec '{model.NormalizerName}' rewrites text (precompiled_charsmap), and only the identity normaliser is mapped.");
        }

        if (model.RemoveExtraWhitespaces)
        {
            throw new NotSupportedException($"{file}: normalizer_spec.remove_extra_whitespaces is true, and only models that keep whitespace as written are mapped.");
        }

        if (model.TreatWhitespaceAsSuffix)
        {
            throw new NotSupportedException($"{file}: trainer_spec.treat_whitespace_as_suffix is true, which Distill does not map.");
        }

        if (model.Pieces.FirstOrDefault(p => p.Type == SentencePieceModel.UserDefined) is { } userDefined)
        {
            throw new NotSupportedException($"{file}: piece '{userDefined.Text}' is USER_DEFINED, and such pieces are not mapped.");
        }

        if (model.Pieces.Count == 0)
        {
            throw new InvalidDataException($"{file}: pieces is empty.");
        }
    }
}
