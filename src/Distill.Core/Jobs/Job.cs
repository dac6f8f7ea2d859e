namespace Distill.Core.Jobs;

/// <summary>
/// A long operation. The row is the truth about it; messages only nudge a process to look at it.
/// </summary>
public sealed class Job
{
    public Guid Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>The job's parameters as JSON; each kind owns its shape.</summary>
    public required string Payload { get; init; }

    public JobStatus Status { get; set; }

    /// <summary>How many times a process has claimed the job; a claim that outlives its heartbeat costs one.</summary>
    public int Attempt { get; set; }

    public int MaxAttempts { get; init; } = 3;

    public double Progress { get; set; }

    public string? ProgressMessage { get; set; }

    public string? Error { get; set; }

    /// <summary>Secret of the current claim: only the holder can heartbeat, report or finish.</summary>
    public Guid? ClaimToken { get; set; }

    public string? ClaimedBy { get; set; }

    public bool CancelRequested { get; set; }

    public DateTime CreatedAt { get; init; }

    /// <summary>When a process was last nudged about this job; the sweeper nudges again when it is old.</summary>
    public DateTime PublishedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? HeartbeatAt { get; set; }

    public DateTime? CompletedAt { get; set; }
}
