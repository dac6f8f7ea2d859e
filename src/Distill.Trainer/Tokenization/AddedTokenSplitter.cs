using System.Text.RegularExpressions;

namespace Distill.Trainer.Tokenization;

/// <summary>
/// Cuts text at added tokens the way Hugging Face does before normalisation and pre-tokenisation: leftmost match
/// first, the longest token when several start at the same place.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _byBranch;
    private readonly Regex? _regex;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        // Alternation tries branches in order, so longest-first makes "<|end|>" lose to "<|endoftext|>".
        _byBranch = tokens
            .Where(t => t.Content.Length > 0)
            .OrderByDescending(t => t.Content.Length)
            .ThenBy(t => t.Content, StringComparer.Ordinal)
            .ToArray();

        if (_byBranch.Length > 0)
        {
            // Each branch is (whitespace-it-strips (content)); the inner group locates the token itself.
            var branches = _byBranch.Select(t => "(" + (t.LeftStrip ? @"\s*" : "") + "(" + Regex.Escape(t.Content) + ")" + (t.RightStrip ? @"\s*" : "") + ")");
            _regex = new Regex(string.Join("|", branches), RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
    }

    public IReadOnlyList<TextSegment> Split(string text)
    {
        var segments = new List<TextSegment>();
        var position = 0;
        if (_regex is not null)
        {
            for (var match = _regex.Match(text); match.Success; match = match.NextMatch())
            {
                if (match.Index > position)
                {
                    segments.Add(new TextSegment(position, match.Index - position, null));
                }

                // Whitespace a token strips is consumed but yields no token, as in Hugging Face.
                var (token, core) = TokenOf(match);
                segments.Add(new TextSegment(core.Index, core.Length, token));
                position = match.Index + match.Length;
            }
        }

        if (position < text.Length)
        {
            segments.Add(new TextSegment(position, text.Length - position, null));
        }

        return segments;
    }

    private (AddedToken Token, Group Core) TokenOf(Match match)
    {
        for (var branch = 0; branch < _byBranch.Length; branch++)
        {
            if (match.Groups[2 * branch + 1].Success)
            {
                return (_byBranch[branch], match.Groups[2 * branch + 2]);
            }
        }

        throw new InvalidOperationException("An added-token match carried no token group.");
    }
}
