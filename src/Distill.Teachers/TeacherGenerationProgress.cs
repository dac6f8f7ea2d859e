namespace Distill.Teachers;

/// <summary>Live totals of a generation run. <see cref="Requests"/> counts every attempt sent, retries included.</summary>
public sealed record TeacherGenerationProgress(
    int Total,
    int Answered,
    int Failed,
    long Requests,
    int Retries,
    long InputTokens,
    long OutputTokens,
    decimal Cost);
