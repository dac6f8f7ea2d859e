namespace Distill.Teachers;

/// <summary>What a teacher answered, what it cost and how long it took.</summary>
public sealed record TeacherAnswer(
    string Text,
    string? FinishReason,
    long InputTokens,
    long OutputTokens,
    IReadOnlyList<TeacherTokenLogprob>? Logprobs,
    string? CompletionId,
    string? Model,
    TimeSpan Latency,
    decimal Cost);

/// <summary>One generated token with its log probability and the most likely alternatives (the chosen token usually among them).</summary>
public sealed record TeacherTokenLogprob(string Token, float Logprob, IReadOnlyList<TeacherTopLogprob> TopLogprobs);

public sealed record TeacherTopLogprob(string Token, float Logprob);
