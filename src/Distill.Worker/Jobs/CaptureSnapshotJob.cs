using System.Runtime.CompilerServices;
using System.Text.Json;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Worker.Datasets;
using Microsoft.EntityFrameworkCore;

namespace Distill.Worker.Jobs;

/// <summary>Freezes the exchanges captured so far (successful ones, optionally narrowed) into a new dataset version.</summary>
internal sealed class CaptureSnapshotJob(DistillDbContext db, DatasetVersionWriter writer) : IJobHandler
{
    public string Kind => JobKinds.CaptureSnapshot;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload<CaptureSnapshotPayload>();
        var version = await writer.BeginAsync(
            context.Job.Id, payload.DatasetId, null, DatasetOperations.CaptureSnapshot,
            JsonSerializer.Serialize(payload.Request, JobPayload.Json), cancellationToken);
        if (version.Status == DatasetVersionStatus.Ready)
        {
            return;
        }

        await writer.AppendAsync(version, CapturedAsync(payload.Request, cancellationToken), cancellationToken);
        await context.ReportProgressAsync(0.8, "writing files", cancellationToken);
        await writer.CompleteAsync(version, null, null, cancellationToken);
    }

    private async IAsyncEnumerable<NewExample> CapturedAsync(CaptureSnapshotRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var captured = db.CapturedCompletions.AsNoTracking().Where(c => c.StatusCode == 200 && c.Error == null);
        if (request.TeacherId is { } teacher)
        {
            captured = captured.Where(c => c.TeacherId == teacher);
        }

        if (request.From is { } from)
        {
            captured = captured.Where(c => c.CreatedAt >= from);
        }

        if (request.To is { } to)
        {
            captured = captured.Where(c => c.CreatedAt < to);
        }

        if (request.Metadata is { Count: > 0 } metadata)
        {
            var contained = JsonSerializer.Serialize(metadata);
            captured = captured.Where(c => EF.Functions.JsonContains(c.Metadata, contained));
        }

        long ordinal = 0;
        await foreach (var c in captured.OrderBy(c => c.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            yield return new NewExample(
                ordinal++, DatasetSplits.Train, ExampleJson.Read(c.Messages, c.Metadata), c.InputTokens, c.OutputTokens,
                c.TeacherId, c.Cost, c.Logprobs, c.CreatedAt);
        }
    }
}
