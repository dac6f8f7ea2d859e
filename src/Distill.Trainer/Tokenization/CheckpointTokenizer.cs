using System.Diagnostics.CodeAnalysis;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// The tokenizer of a Hugging Face checkpoint directory. <see cref="Encode"/> is raw encoding, like Hugging Face's
/// <c>add_special_tokens=False</c>: added tokens written in the text become their ids, and nothing is prepended;
/// callers that want BOS consult <see cref="AddBosToken"/> and <see cref="BosId"/>.
/// </summary>
public sealed class CheckpointTokenizer
{
    private readonly TokenizerEngine _engine;

    private CheckpointTokenizer(TokenizerEngine engine, string sourceFile, string? bosToken, string? eosToken, bool addBosToken)
    {
        _engine = engine;
        SourceFile = sourceFile;
        BosToken = bosToken;
        EosToken = eosToken;
        BosId = IdOfConfigured(bosToken, "bos_token");
        EosId = IdOfConfigured(eosToken, "eos_token");
        AddBosToken = addBosToken && BosId is not null;
    }

    public TokenizerKind Kind => _engine.Kind;

    /// <summary>The file the vocabulary came from (tokenizer.json or tokenizer.model).</summary>
    public string SourceFile { get; }

    /// <summary>One past the highest token id, added tokens included.</summary>
    public int VocabSize => _engine.Vocabulary.Size;

    public IReadOnlyList<AddedToken> AddedTokens => _engine.Vocabulary.AddedTokens;

    public string? BosToken { get; }

    public int? BosId { get; }

    public string? EosToken { get; }

    public int? EosId { get; }

    /// <summary>Whether Hugging Face prepends BOS when it encodes plain text with special tokens on.</summary>
    public bool AddBosToken { get; }

    /// <summary>
    /// Loads <c>tokenizer.model</c> (SentencePiece) when present, otherwise <c>tokenizer.json</c> (byte-level BPE),
    /// with special tokens and BOS/EOS from <c>tokenizer_config.json</c>.
    /// </summary>
    public static CheckpointTokenizer Load(string checkpointDirectory)
    {
        if (!Directory.Exists(checkpointDirectory))
        {
            throw new DirectoryNotFoundException($"Checkpoint directory {checkpointDirectory} does not exist.");
        }

        var config = TokenizerConfig.Read(checkpointDirectory);
        var modelPath = Path.Combine(checkpointDirectory, SentencePieceModel.FileName);
        var jsonPath = Path.Combine(checkpointDirectory, TokenizerJsonReader.FileName);

        if (File.Exists(modelPath))
        {
            var jsonAdded = File.Exists(jsonPath) ? TokenizerJsonReader.ReadAddedTokens(jsonPath) : [];
            var engine = SentencePieceEngine.Load(modelPath, config, jsonAdded);
            var bos = config.BosToken ?? engine.BosPiece;
            return new CheckpointTokenizer(engine, modelPath, bos, config.EosToken ?? engine.EosPiece, config.AddBosToken ?? true);
        }

        if (File.Exists(jsonPath))
        {
            var engine = ByteLevelBpeEngine.Load(jsonPath, config);
            return new CheckpointTokenizer(engine, jsonPath, config.BosToken, config.EosToken, engine.AddsBos);
        }

        throw new FileNotFoundException($"Checkpoint directory {checkpointDirectory} has neither {TokenizerJsonReader.FileName} nor {SentencePieceModel.FileName}.");
    }

    public int[] Encode(string text) => _engine.EncodeNormalized(_engine.Normalize(text)).Select(t => t.Id).ToArray();

    /// <summary>Encodes and says where each token came from; offsets index <see cref="Normalize"/>(<paramref name="text"/>).</summary>
    public IReadOnlyList<TokenSpan> EncodeWithOffsets(string text) => _engine.EncodeNormalized(_engine.Normalize(text));

    /// <summary>The text as the tokenizer sees it (Unicode NFC for Qwen2; unchanged for most tokenizers).</summary>
    public string Normalize(string text) => _engine.Normalize(text);

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false) => _engine.Decode(ids.ToArray(), skipSpecialTokens);

    /// <summary>Looks up a vocabulary entry as the vocabulary spells it ("Ġthe" in byte-level BPE, "▁the" in SentencePiece).</summary>
    public bool TryTokenToId(string token, out int id) => _engine.Vocabulary.TryGetId(token, out id);

    public int TokenToId(string token) => TryTokenToId(token, out var id)
        ? id
        : throw new KeyNotFoundException($"Token '{token}' is not in the vocabulary of {SourceFile}.");

    public string IdToToken(int id)
    {
        _engine.Vocabulary.CheckId(id);
        return _engine.Vocabulary.TokenOf(id)!;
    }

    /// <summary>Whether <paramref name="content"/> is matched whole in text (an added or special token).</summary>
    public bool IsAddedToken(string content) =>
        TryTokenToId(content, out var id) && _engine.Vocabulary.AddedTokenOf(id) is not null;

    /// <summary>
    /// Whether every id means the same token in both, which is what lets one model's logits stand in for the
    /// other's; <paramref name="difference"/> says where they first part.
    /// </summary>
    public bool HasSameVocabulary(CheckpointTokenizer other, [NotNullWhen(false)] out string? difference)
    {
        difference = TokenizerComparison.VocabularyDifference(_engine, other._engine);
        return difference is null;
    }

    /// <summary>Same vocabulary, and the same rules for cutting text into it, so both turn any text into the same ids.</summary>
    public bool IsSameAs(CheckpointTokenizer other, [NotNullWhen(false)] out string? difference)
    {
        difference = TokenizerComparison.VocabularyDifference(_engine, other._engine) ?? TokenizerComparison.RulesDifference(_engine, other._engine);
        return difference is null;
    }

    private int? IdOfConfigured(string? token, string field)
    {
        if (token is null)
        {
            return null;
        }

        return TryTokenToId(token, out var id)
            ? id
            : throw new InvalidDataException($"{TokenizerConfig.FileName}: {field} '{token}' is not in the vocabulary of {Path.GetFileName(SourceFile)}.");
    }
}
