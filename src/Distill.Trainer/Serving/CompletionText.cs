using Distill.Trainer.Inference;
using Distill.Trainer.Tokenization;

namespace Distill.Trainer.Serving;

/// <summary>Reply text released by <see cref="CompletionText"/>, with the generated tokens it came from.</summary>
public sealed record TextRelease(string Text, IReadOnlyList<GeneratedToken> Tokens)
{
    public static readonly TextRelease None = new("", []);

    public bool IsEmpty => Text.Length == 0 && Tokens.Count == 0;
}

/// <summary>
/// Turns generated tokens into reply text as soon as it is final. Text is held back while it ends in an unfinished
/// UTF-8 character (a byte-level token can carry half of one) and while its end could still grow into a stop string;
/// a stop string ends the reply and is left out of it, as OpenAI does. Streaming and non-streaming replies both
/// come from here, so the deltas of one always add up to the text of the other.
/// </summary>
public sealed class CompletionText(CheckpointTokenizer tokenizer, IReadOnlyList<string> stops)
{
    private const char Replacement = '\uFFFD';

    private readonly List<int> _ids = [];
    private readonly List<(GeneratedToken Token, int Start)> _unreleased = [];
    private string _text = "";
    private string _releasedText = "";

    /// <summary>A stop string appeared; nothing after it is released.</summary>
    public bool Stopped { get; private set; }

    public TextRelease Add(GeneratedToken token)
    {
        if (Stopped)
        {
            throw new InvalidOperationException("The reply already ended at a stop string.");
        }

        _unreleased.Add((token, Settled(_text).Length));
        // A model's vocabulary may be padded past its tokenizer's; such a token has no text to add.
        if (token.TokenId < tokenizer.VocabSize)
        {
            _ids.Add(token.TokenId);
        }

        _text = tokenizer.Decode(_ids, skipSpecialTokens: true);
        var settled = Settled(_text);
        if (!settled.StartsWith(_releasedText, StringComparison.Ordinal))
        {
            // More tokens rewrote text already sent (no tokenizer here does that); what follows waits for the end.
            return TextRelease.None;
        }

        if (FirstStop(settled) is { } stopAt)
        {
            Stopped = true;
            var release = Release(settled, stopAt, all: false);
            _unreleased.Clear();
            return release;
        }

        return Release(settled, settled.Length - PossibleStopStart(settled), all: false);
    }

    /// <summary>Everything not yet released, once generation has ended without a stop string.</summary>
    public TextRelease Finish() =>
        Stopped || !_text.StartsWith(_releasedText, StringComparison.Ordinal) ? TextRelease.None : Release(_text, _text.Length, all: true);

    /// <summary>The text without a trailing unfinished character, which decodes as U+FFFD until its last byte arrives.</summary>
    private static string Settled(string text) => text.TrimEnd(Replacement);

    private int? FirstStop(string text)
    {
        int? first = null;
        foreach (var stop in stops)
        {
            // Held-back text is exactly where a stop string could have begun, so the search starts there.
            var at = text.IndexOf(stop, _releasedText.Length, StringComparison.Ordinal);
            if (at >= 0 && (first is null || at < first))
            {
                first = at;
            }
        }

        return first;
    }

    /// <summary>How many trailing characters could be the start of a stop string.</summary>
    private int PossibleStopStart(string text)
    {
        var pending = text.AsSpan(_releasedText.Length);
        var longest = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, pending.Length); length > longest; length--)
            {
                if (pending[^length..].SequenceEqual(stop.AsSpan(0, length)))
                {
                    longest = length;
                    break;
                }
            }
        }

        return longest;
    }

    /// <param name="all">Release every token, even those that added no text yet.</param>
    private TextRelease Release(string text, int end, bool all)
    {
        var from = _releasedText.Length;
        end = Math.Max(end, from);
        var released = text[from..end];
        _releasedText = text[..end];
        // A token goes out with the text it began, so logprobs stay beside their text in a stream.
        var count = all ? _unreleased.Count : _unreleased.TakeWhile(t => t.Start < end).Count();
        var tokens = _unreleased.Take(count).Select(t => t.Token).ToList();
        _unreleased.RemoveRange(0, count);
        return released.Length == 0 && tokens.Count == 0 ? TextRelease.None : new TextRelease(released, tokens);
    }
}
