using System.Text.Json;
using Azure.Storage.Blobs;
using Distill.Core.Diagnostics;
using Distill.Core.Jobs;

namespace Distill.Worker.Jobs;

/// <summary>
/// Walks every part of the system a real job uses: claimed from Postgres after a RabbitMQ nudge, checkpointed
/// steps, progress events back to Web, and a report in blob storage.
/// </summary>
internal sealed class DiagnosticJob(BlobServiceClient blobs) : IJobHandler
{
    public const string Container = "diagnostics";

    public string Kind => JobKinds.Diagnostic;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload<DiagnosticPayload>();
        var job = context.Job;
        for (var step = 0; step < payload.Steps; step++)
        {
            await context.RunStepOnceAsync(
                $"step-{step}",
                async ct =>
                {
                    await Task.Delay(payload.StepMilliseconds, ct);
                    return new DiagnosticStep { JobId = job.Id, Step = step, Attempt = job.Attempt, Worker = job.ClaimedBy!, CompletedAt = DateTime.UtcNow };
                },
                (db, done) => db.DiagnosticSteps.Add(done),
                cancellationToken);
            await context.ReportProgressAsync((step + 1) / (double)payload.Steps, $"step {step + 1} of {payload.Steps}", cancellationToken);
        }

        var container = blobs.GetBlobContainerClient(Container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var report = JsonSerializer.SerializeToUtf8Bytes(new { job.Id, payload.Steps, job.Attempt, job.ClaimedBy, FinishedAt = DateTime.UtcNow });
        await container.GetBlobClient($"{job.Id}.json").UploadAsync(new BinaryData(report), overwrite: true, cancellationToken);
    }
}
