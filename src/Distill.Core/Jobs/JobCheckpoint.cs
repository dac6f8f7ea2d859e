namespace Distill.Core.Jobs;

/// <summary>
/// One finished step of a job, keyed by (job, step). A resumed job skips steps that have a checkpoint,
/// which is what keeps a retried job from doing (or paying for) the same work twice.
/// </summary>
public sealed class JobCheckpoint
{
    public Guid JobId { get; init; }

    public required string Key { get; init; }

    public int Attempt { get; init; }

    public DateTime CompletedAt { get; init; }
}
