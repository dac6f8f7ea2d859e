using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Hugging Face's pre-tokenisation for byte-level BPE: added tokens come out whole, then each regex of the
/// <c>pre_tokenizer</c> sequence splits the remaining text in turn with the <c>Isolated</c> behaviour (matches and
/// the gaps between them both become pieces). Microsoft.ML.Tokenizers' RegexPreTokenizer drops the gaps, hence this.
/// </summary>
internal sealed class ByteLevelPreTokenizer : PreTokenizer
{
    private readonly AddedTokenSplitter _addedTokens;
    private readonly IReadOnlyList<Regex> _splits;

    public ByteLevelPreTokenizer(AddedTokenSplitter addedTokens, IReadOnlyList<Regex> splits)
    {
        _addedTokens = addedTokens;
        _splits = splits;
    }

    public IReadOnlyList<TextSegment> Split(string text)
    {
        var pieces = new List<TextSegment>();
        foreach (var segment in _addedTokens.Split(text))
        {
            if (segment.Token is not null)
            {
                pieces.Add(segment);
            }
            else
            {
                SplitFrom(text, segment, 0, pieces);
            }
        }

        return pieces;
    }

    public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) =>
        string.IsNullOrEmpty(text) ? [] : Split(text).Select(s => (s.Offset, s.Length));

    public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => PreTokenize(text.ToString());

    private void SplitFrom(string text, TextSegment piece, int splitIndex, List<TextSegment> pieces)
    {
        if (splitIndex == _splits.Count)
        {
            pieces.Add(piece);
            return;
        }

        var position = piece.Offset;
        foreach (var match in _splits[splitIndex].EnumerateMatches(text.AsSpan(piece.Offset, piece.Length)))
        {
            if (match.Length == 0)
            {
                continue;
            }

            var start = piece.Offset + match.Index;
            if (start > position)
            {
                SplitFrom(text, new TextSegment(position, start - position, null), splitIndex + 1, pieces);
            }

            SplitFrom(text, new TextSegment(start, match.Length, null), splitIndex + 1, pieces);
            position = start + match.Length;
        }

        if (position < piece.End)
        {
            SplitFrom(text, new TextSegment(position, piece.End - position, null), splitIndex + 1, pieces);
        }
    }
}
