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
    public List<TokenSpan> EncodeNormalized(string text)
    {
        var spans = new List<TokenSpan>(text.Length / 3 + 1);
        foreach (var segment in Segments(text))
        {
            if (segment.Token is { } added)
            {
                spans.Add(new TokenSpan(added.Id, segment.Offset, segment.End));
            }
            else
            {
                EncodeOrdinary(text, segment, spans);
            }
        }

        return spans;
    }

    /// <summary>The text cut at added tokens, and at whatever other boundaries the format's pre-tokenizer draws.</summary>
    protected abstract IEnumerable<TextSegment> Segments(string text);

    /// <summary>Appends the tokens of a segment that is not an added token, with offsets into <paramref name="text"/>.</summary>
    protected abstract void EncodeOrdinary(string text, TextSegment segment, List<TokenSpan> spans);

    /// <summary>Added tokens are written as they are; each run of ordinary tokens between them is decoded on its own.</summary>
    public string Decode(IReadOnlyList<int> ids, bool skipSpecialTokens)
    {
        var text = new System.Text.StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            Vocabulary.CheckId(id);
            if (Vocabulary.AddedTokenOf(id) is { } added)
            {
                Flush();
                if (!(skipSpecialTokens && added.Special))
                {
                    text.Append(added.Content);
                }
            }
            else
            {
                run.Add(id);
            }
        }

        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count > 0)
            {
                text.Append(DecodeOrdinary(run));
                run.Clear();
            }
        }
    }

    /// <summary>The text of consecutive ordinary (not added) tokens.</summary>
    protected abstract string DecodeOrdinary(IReadOnlyList<int> run);
}
