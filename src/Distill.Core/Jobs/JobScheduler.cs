using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Distill.Core.Jobs;

/// <summary>Writes the job row first, then nudges the queue of the service that runs its kind.</summary>
public sealed partial class JobScheduler(JobStore store, ISendEndpointProvider sendEndpoints, IPublishEndpoint events, ILogger<JobScheduler> logger)
{
    public async Task<Job> EnqueueAsync<TPayload>(string kind, TPayload payload, CancellationToken cancellationToken)
    {
        var queue = JobKinds.QueueOf(kind);
        var job = await store.AddAsync(kind, JsonSerializer.Serialize(payload, JobPayload.Json), cancellationToken);
        try
        {
            await SendAsync(queue, job, cancellationToken);
            await events.Publish(new JobQueued(job.Id, job.Kind), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The row is the truth: the sweeper nudges it again once the broker is back.
            LogNudgeFailed(job.Id, ex.Message);
        }

        return job;
    }

    public Task NudgeAsync(Job job, CancellationToken cancellationToken) =>
        SendAsync(JobKinds.QueueOf(job.Kind), job, cancellationToken);

    private async Task SendAsync(string queue, Job job, CancellationToken cancellationToken)
    {
        var endpoint = await sendEndpoints.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(new RunJob(job.Id, job.Kind), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} is queued but its nudge could not be sent ({Reason}); the sweeper will send it again")]
    private partial void LogNudgeFailed(Guid jobId, string reason);
}
