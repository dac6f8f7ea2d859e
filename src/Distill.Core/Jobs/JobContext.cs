using Distill.Core.Data;
using MassTransit;

namespace Distill.Core.Jobs;

/// <summary>What a running handler may do with its job: read it, report progress, and run checkpointed steps.</summary>
public sealed class JobContext(Job job, DistillDbContext db, IPublishEndpoint events)
{
    public Job Job { get; } = job;

    public T Payload<T>() => JobPayload.Read<T>(Job);

    public async Task ReportProgressAsync(double progress, string? message, CancellationToken cancellationToken)
    {
        if (await new JobStore(db).ReportProgressAsync(Job.Id, Job.ClaimToken!.Value, progress, message, cancellationToken))
        {
            await events.Publish(new JobProgressed(Job.Id, Job.Kind, Math.Clamp(progress, 0, 1), message), cancellationToken);
        }
    }

    /// <summary>
    /// Runs step <paramref name="key"/> unless an earlier attempt finished it. <paramref name="compute"/> does the
    /// slow or paid part outside any transaction; <paramref name="record"/> adds its result to the context, and the
    /// result commits together with the checkpoint, so a step is either recorded once or not at all.
    /// </summary>
    /// <returns>False when the step had already been done.</returns>
    public async Task<bool> RunStepOnceAsync<T>(
        string key,
        Func<CancellationToken, Task<T>> compute,
        Action<DistillDbContext, T> record,
        CancellationToken cancellationToken)
    {
        if (await new JobStore(db).HasCheckpointAsync(Job.Id, key, cancellationToken))
        {
            return false;
        }

        var result = await compute(cancellationToken);
        record(db, result);
        db.JobCheckpoints.Add(new JobCheckpoint { JobId = Job.Id, Key = key, Attempt = Job.Attempt, CompletedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }
}
