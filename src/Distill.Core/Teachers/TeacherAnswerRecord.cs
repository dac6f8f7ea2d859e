namespace Distill.Core.Teachers;

public enum TeacherAnswerStatus
{
    /// <summary>The request was sent and no answer is recorded yet: after a crash, ask the teacher's stored completions before sending again.</summary>
    Dispatched,

    Answered,

    Failed,
}

/// <summary>
/// One example of a generation job and what the teacher said. Keyed by (job, source example), so a crash, a
/// redelivered message or a restart finds the answer here and never pays for it twice.
/// </summary>
public sealed class TeacherAnswerRecord
{
    public Guid JobId { get; init; }

    public long SourceExampleId { get; init; }

    public TeacherAnswerStatus Status { get; set; }

    public string? Text { get; set; }

    public string? FinishReason { get; set; }

    public int InputTokens { get; set; }

    public int OutputTokens { get; set; }

    public decimal Cost { get; set; }

    public string? CompletionId { get; set; }

    public string? Logprobs { get; set; }

    public string? Error { get; set; }

    public int Attempts { get; set; }

    public DateTime DispatchedAt { get; set; }

    public DateTime? AnsweredAt { get; set; }
}
