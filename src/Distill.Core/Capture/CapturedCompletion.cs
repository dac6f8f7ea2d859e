namespace Distill.Core.Capture;

/// <summary>
/// One exchange an application sent through our OpenAI-compatible capture endpoint to a teacher: the request's
/// messages, the teacher's reply, and what it cost. A capture snapshot turns these into a DatasetVersion.
/// </summary>
public sealed class CapturedCompletion
{
    public long Id { get; init; }

    public Guid ProjectId { get; init; }

    public Guid TeacherId { get; init; }

    /// <summary>The conversation including the teacher's reply as the last assistant turn (jsonb).</summary>
    public required string Messages { get; init; }

    /// <summary>The request's metadata (jsonb), as OpenAI's stored completions keep it.</summary>
    public required string Metadata { get; init; }

    /// <summary>The request's other parameters (temperature, max tokens…) as JSON.</summary>
    public string? RequestParameters { get; init; }

    public required string Model { get; init; }

    public string? CompletionId { get; init; }

    public bool Streamed { get; init; }

    public int StatusCode { get; init; }

    public string? Error { get; init; }

    public int LatencyMs { get; init; }

    public int InputTokens { get; init; }

    public int OutputTokens { get; init; }

    public decimal Cost { get; init; }

    public string? Logprobs { get; init; }

    public DateTime CreatedAt { get; init; }
}
