using Distill.Core.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Distill.Core.Jobs;

/// <summary>
/// Turns a <see cref="RunJob"/> nudge into a run: claim the row, keep the claim alive with heartbeats while the
/// handler works, then finish the row exactly once. Duplicate or stale nudges lose the claim and do nothing.
/// </summary>
public sealed partial class RunJobConsumer(
    IServiceScopeFactory scopes,
    IDbContextFactory<DistillDbContext> databases,
    IOptions<JobOptions> options,
    ILogger<RunJobConsumer> logger) : IConsumer<RunJob>
{
    private static readonly string WorkerName = $"{Environment.MachineName}/{Environment.ProcessId}";

    public async Task Consume(ConsumeContext<RunJob> context)
    {
        var (jobId, kind) = context.Message;
        await using var scope = scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetServices<IJobHandler>().SingleOrDefault(h => h.Kind == kind);
        if (handler is null)
        {
            LogNoHandler(jobId, kind);
            return;
        }

        var db = scope.ServiceProvider.GetRequiredService<DistillDbContext>();
        var store = new JobStore(db);
        var job = await store.TryClaimAsync(jobId, WorkerName, context.CancellationToken);
        if (job is null)
        {
            LogNotClaimed(jobId, kind);
            return;
        }

        var claim = job.ClaimToken!.Value;
        LogStarted(jobId, kind, job.Attempt);
        await context.Publish(new JobStarted(jobId, kind, job.Attempt, WorkerName));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var heartbeat = KeepClaimAliveAsync(jobId, claim, stop);
        var (outcome, error) = await RunHandlerAsync(handler, new JobContext(job, db, context), stop.Token);
        await stop.CancelAsync();
        var lastBeat = await heartbeat;

        if (outcome is null)
        {
            await LetGoAsync(jobId, kind, claim, lastBeat, context);
            return;
        }

        if (!await store.FinishAsync(jobId, claim, outcome.Value, error, CancellationToken.None))
        {
            LogClaimLost(jobId, kind);
            return;
        }

        LogFinished(jobId, kind, outcome.Value);
        object finished = outcome switch
        {
            JobStatus.Succeeded => new JobCompleted(jobId, kind),
            JobStatus.Cancelled => new JobCancelled(jobId, kind),
            _ => new JobFailed(jobId, kind, error ?? "Failed."),
        };
        await context.Publish(finished, finished.GetType(), CancellationToken.None);
    }

    /// <returns>The final status, or null when the run was interrupted and must not be finished here.</returns>
    private async Task<(JobStatus? Outcome, string? Error)> RunHandlerAsync(IJobHandler handler, JobContext job, CancellationToken cancellationToken)
    {
        try
        {
            await handler.RunAsync(job, cancellationToken);
            return (JobStatus.Succeeded, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, null);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex, job.Job.Id, job.Job.Kind);
            return (JobStatus.Failed, ex.Message);
        }
    }

    /// <summary>The run stopped without an outcome: cancelled by a user, lost to another process, or shutting down.</summary>
    private async Task LetGoAsync(Guid jobId, string kind, Guid claim, Heartbeat lastBeat, ConsumeContext context)
    {
        await using var db = await databases.CreateDbContextAsync(CancellationToken.None);
        var store = new JobStore(db);
        switch (lastBeat)
        {
            case Heartbeat.CancelRequested when await store.FinishAsync(jobId, claim, JobStatus.Cancelled, null, CancellationToken.None):
                LogFinished(jobId, kind, JobStatus.Cancelled);
                await context.Publish(new JobCancelled(jobId, kind), CancellationToken.None);
                break;
            case Heartbeat.Lost:
                LogClaimLost(jobId, kind);
                break;
            default:
                // Shutting down: hand the job back now rather than make it wait for the heartbeat timeout.
                if (await store.ReleaseAsync(jobId, claim, CancellationToken.None))
                {
                    LogReleased(jobId, kind);
                    await context.Publish(new JobQueued(jobId, kind), CancellationToken.None);
                }

                break;
        }
    }

    private async Task<Heartbeat> KeepClaimAliveAsync(Guid jobId, Guid claim, CancellationTokenSource stop)
    {
        using var timer = new PeriodicTimer(options.Value.HeartbeatInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop.Token))
            {
                await using var db = await databases.CreateDbContextAsync(stop.Token);
                var beat = await new JobStore(db).BeatAsync(jobId, claim, stop.Token);
                if (beat != Heartbeat.Alive)
                {
                    await stop.CancelAsync();
                    return beat;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return Heartbeat.Alive;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "No handler for job {JobId} of kind {Kind} in this service; it was sent to the wrong queue")]
    private partial void LogNoHandler(Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Job {JobId} ({Kind}) is not queued any more; nudge ignored")]
    private partial void LogNotClaimed(Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) started, attempt {Attempt}")]
    private partial void LogStarted(Guid jobId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) finished: {Outcome}")]
    private partial void LogFinished(Guid jobId, string kind, JobStatus outcome);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} ({Kind}) failed")]
    private partial void LogHandlerFailed(Exception exception, Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) was taken over by another process; this run stops without finishing it")]
    private partial void LogClaimLost(Guid jobId, string kind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) handed back to the queue at shutdown")]
    private partial void LogReleased(Guid jobId, string kind);
}
