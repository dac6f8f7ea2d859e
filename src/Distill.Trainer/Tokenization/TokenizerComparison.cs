namespace Distill.Trainer.Tokenization;

/// <summary>Finds the first way two tokenizers differ, in words a person can act on.</summary>
internal static class TokenizerComparison
{
    public static string? VocabularyDifference(TokenizerEngine a, TokenizerEngine b)
    {
        if (a.Kind != b.Kind)
        {
            return $"one is {Describe(a.Kind)} and the other {Describe(b.Kind)}";
        }

        var (left, right) = (a.Vocabulary, b.Vocabulary);
        if (left.Size != right.Size)
        {
            return $"vocabulary sizes differ: {left.Size} vs {right.Size}";
        }

        for (var id = 0; id < left.Size; id++)
        {
            var (x, y) = (left.TokensById[id], right.TokensById[id]);
            if (x != y)
            {
                return $"token {id} is {Quote(x)} in one and {Quote(y)} in the other";
            }

            var (xAdded, yAdded) = (left.AddedTokenOf(id), right.AddedTokenOf(id));
            if ((xAdded is null) != (yAdded is null))
            {
                return $"token {id} {Quote(x)} is an added token in one only, so text containing it splits differently";
            }

            if (xAdded is not null && xAdded != yAdded)
            {
                return $"added token {id} {Quote(x)} has different flags (special, lstrip, rstrip)";
            }
        }

        return null;
    }

    public static string? RulesDifference(TokenizerEngine a, TokenizerEngine b)
    {
        var what = a.Kind == TokenizerKind.ByteLevelBpe ? "merge rule" : "piece score";
        var (left, right) = (a.Rules, b.Rules);
        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            if (left[i] != right[i])
            {
                return $"{what} {i} is '{left[i]}' in one and '{right[i]}' in the other";
            }
        }

        if (left.Count != right.Count)
        {
            return $"{what} counts differ: {left.Count} vs {right.Count}";
        }

        return a.Pipeline == b.Pipeline ? null : $"normalisation or splitting differs: '{a.Pipeline}' vs '{b.Pipeline}'";
    }

    private static string Describe(TokenizerKind kind) => kind == TokenizerKind.ByteLevelBpe
        ? "byte-level BPE (tokenizer.json)"
        : "SentencePiece (tokenizer.model)";

    private static string Quote(string? token) => token is null ? "unused" : $"'{token}'";
}
