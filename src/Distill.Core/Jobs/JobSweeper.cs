using MassTransit;
using Microsoft.Extensions.Logging;

namespace Distill.Core.Jobs;

/// <summary>
/// One pass of the safety net: nudges queued jobs whose message was lost, and takes jobs back from
/// processes that stopped heartbeating. Safe to run in several processes at once.
/// </summary>
public sealed partial class JobSweeper(JobStore store, JobScheduler scheduler, IPublishEndpoint events, ILogger<JobSweeper> logger)
{
    public async Task<int> SweepAsync(JobOptions options, CancellationToken cancellationToken)
    {
        var nudged = 0;
        foreach (var job in await store.ReclaimAbandonedAsync(options.HeartbeatTimeout, cancellationToken))
        {
            if (job.Status == JobStatus.Failed)
            {
                LogAbandonedFailed(job.Id, job.Kind, job.Attempt);
                await events.Publish(new JobFailed(job.Id, job.Kind, job.Error!), cancellationToken);
                continue;
            }

            LogRequeued(job.Id, job.Kind, job.ClaimedBy);
            await scheduler.NudgeAsync(job, cancellationToken);
            await events.Publish(new JobQueued(job.Id, job.Kind), cancellationToken);
            nudged++;
        }

        foreach (var job in await store.TakeUnnudgedAsync(options.RepublishAfter, cancellationToken))
        {
            LogRepublished(job.Id, job.Kind);
            await scheduler.NudgeAsync(job, cancellationToken);
            nudged++;
        }

        return nudged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) lost its worker {Worker}; queued again")]
    private partial void LogRequeued(Guid jobId, string kind, string? worker);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) lost its worker on its last attempt ({Attempt}); failed")]
    private partial void LogAbandonedFailed(Guid jobId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) stayed queued without a taker; nudged again")]
    private partial void LogRepublished(Guid jobId, string kind);
}
