namespace Distill.Testing.FakeTeacher;

/// <summary>
/// The fake teacher's deterministic answer to a request: the same prompt always gets the same tokens, usage and
/// logprobs, so tests can assert exact values. A token is a word (with its leading space), as BPE tokens look.
/// TEST FIXTURE.
/// </summary>
public sealed record FakeTeacherAnswer(IReadOnlyList<string> Tokens, string FinishReason, int PromptTokens)
{
    public const string Prefix = "You asked:";

    public string Text => string.Concat(Tokens);

    public int CompletionTokens => Tokens.Count;

    public static FakeTeacherAnswer For(FakeTeacherRequest request)
    {
        var words = $"{Prefix} {request.LastUserMessage}".Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var tokens = words.Select((w, i) => i == 0 ? w : " " + w).ToList();
        var finish = "stop";
        if (request.MaxTokens is { } max && tokens.Count > max)
        {
            tokens.RemoveRange(max, tokens.Count - max);
            finish = "length";
        }

        return new FakeTeacherAnswer(tokens, finish, PromptTokensOf(request));
    }

    /// <summary>Words per message plus a little per-message framing, as chat templates add.</summary>
    public static int PromptTokensOf(FakeTeacherRequest request) =>
        3 + request.Messages.Sum(m => 3 + m.Content.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    public static float LogprobOf(int position) => -0.05f * (position % 7 + 1);

    /// <summary>The token itself first, then made-up alternatives, each less likely.</summary>
    public static IEnumerable<(string Token, float Logprob)> TopLogprobsOf(string token, int position, int count) =>
        Enumerable.Range(0, count).Select(k => k == 0 ? (token, LogprobOf(position)) : ($" alt{k}", LogprobOf(position) - 0.5f * k));
}
