namespace Distill.Core.Jobs;

/// <summary>Runs one kind of job. It must be resumable: work already checkpointed is skipped, not redone.</summary>
public interface IJobHandler
{
    string Kind { get; }

    Task RunAsync(JobContext context, CancellationToken cancellationToken);
}
