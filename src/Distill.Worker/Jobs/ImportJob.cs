using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Storage.Blobs;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Imports;
using Distill.Core.Jobs;
using Distill.Worker.Datasets;
using Microsoft.EntityFrameworkCore;

namespace Distill.Worker.Jobs;

/// <summary>
/// Parses an uploaded file into a new DatasetVersion, streaming: the blob is read in chunks, accepted examples go
/// to Postgres by COPY as they are parsed, rejected ones to the quarantine file. The COPY commits only when the
/// import succeeds under the user's policy, so a rejected import leaves no examples behind, only its reasons.
/// </summary>
internal sealed class ImportJob(DistillDbContext db, BlobServiceClient blobs, DatasetVersionWriter writer) : IJobHandler
{
    private const int IssuesShown = 100;

    public string Kind => JobKinds.Import;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload<ImportPayload>();
        var request = payload.Request;
        var import = await BeginImportAsync(context.Job.Id, payload, cancellationToken);
        var version = await writer.BeginAsync(
            context.Job.Id, payload.DatasetId, null, DatasetOperations.Import, JsonSerializer.Serialize(request, JobPayload.Json), cancellationToken);
        if (version.Status == DatasetVersionStatus.Ready)
        {
            return;
        }

        var uploads = blobs.GetBlobContainerClient(DatasetBlobs.Uploads);
        var source = uploads.GetBlobClient(request.UploadId.ToString());
        var upload = await db.Uploads.AsNoTracking().SingleAsync(u => u.Id == request.UploadId, cancellationToken);
        var summary = new ImportSummary();
        var shown = new List<ImportIssue>();
        var importer = new ExampleImporter(request.Options());
        await using (var input = await source.OpenReadAsync(cancellationToken: cancellationToken))
        await using (var quarantineFile = await uploads.GetBlobClient(import.QuarantineBlobName).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken))
        await using (var quarantine = new QuarantineWriter(quarantineFile))
        {
            var progress = new ImportProgress(context, upload.SizeBytes, summary);
            try
            {
                await writer.AppendAsync(version, AcceptedAsync(importer.ReadAsync(input, summary, cancellationToken)), cancellationToken);
            }
            catch (ImportRejectedException)
            {
                // The COPY was abandoned, so nothing was inserted; the counts and reasons below tell the user why.
            }

            async IAsyncEnumerable<NewExample> AcceptedAsync(IAsyncEnumerable<ImportRecord> records, [EnumeratorCancellation] CancellationToken ct = default)
            {
                long ordinal = 0;
                await foreach (var record in records.WithCancellation(ct))
                {
                    switch (record)
                    {
                        case AcceptedRecord accepted:
                            yield return Imported(accepted, ordinal++);
                            break;
                        case RejectedRecord rejected:
                            await quarantine.WriteAsync(rejected, ct);
                            shown.AddRange(rejected.Issues.Take(Math.Max(0, IssuesShown - shown.Count)));
                            break;
                    }

                    await progress.ReportAsync(ct);
                }

                if (!summary.Succeeded(request.ErrorMode))
                {
                    throw new ImportRejectedException();
                }
            }
        }

        shown.InsertRange(0, summary.FileIssues);
        await RecordOutcomeAsync(import.Id, summary, shown, summary.Succeeded(request.ErrorMode) ? version.Id : null, cancellationToken);
        if (!summary.Succeeded(request.ErrorMode))
        {
            await writer.FailAsync(version, Verdict(summary, shown), cancellationToken);
            throw new InvalidOperationException(Verdict(summary, shown));
        }

        await context.ReportProgressAsync(0.95, "writing the version's files", cancellationToken);
        var report = JsonSerializer.Serialize(new { summary.LinesRead, summary.Accepted, summary.Rejected, summary.Blank, quarantine = summary.Rejected > 0 ? import.QuarantineBlobName : null });
        await writer.CompleteAsync(version, summary.RecordsRead, report, cancellationToken);
    }

    /// <summary>An accepted line as a new example: imports land in train until a split says otherwise; tokens are the parser's estimate.</summary>
    public static NewExample Imported(AcceptedRecord accepted, long ordinal)
    {
        var completion = accepted.Example.Completion is null ? 0
            : Utf8BytesTokenEstimator.Instance.EstimateTokens(new ExampleRecord([accepted.Example.Messages[^1]], ExampleRecord.NoMetadata));
        return new NewExample(ordinal, DatasetSplits.Train, accepted.Example, Math.Max(0, accepted.EstimatedTokens - completion), completion);
    }

    private static string Verdict(ImportSummary summary, IReadOnlyList<ImportIssue> issues)
    {
        if (summary.FileIssues.Count > 0)
        {
            return string.Join("; ", summary.FileIssues.Select(i => i.Message));
        }

        if (summary.Accepted == 0 && summary.Rejected == 0)
        {
            return "The file holds no examples: every line is blank.";
        }

        var first = issues.FirstOrDefault()?.Message ?? "no line was accepted";
        return summary.Rejected == 0
            ? "No line was accepted."
            : $"{summary.Rejected} of {summary.RecordsRead} lines are invalid, so nothing was imported; the first: {first}. Every reason is in the quarantine file.";
    }

    private async Task<DatasetImport> BeginImportAsync(Guid jobId, ImportPayload payload, CancellationToken cancellationToken)
    {
        if (await db.DatasetImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == jobId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var import = new DatasetImport
        {
            Id = jobId, UploadId = payload.Request.UploadId, DatasetId = payload.DatasetId, Format = payload.Request.Format.ToString(),
            ErrorMode = payload.Request.ErrorMode, QuarantineBlobName = $"{payload.Request.UploadId}.{jobId}.quarantine.jsonl", CreatedAt = DateTime.UtcNow,
        };
        db.DatasetImports.Add(import);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return import;
    }

    private Task RecordOutcomeAsync(Guid importId, ImportSummary summary, IReadOnlyList<ImportIssue> issues, Guid? versionId, CancellationToken cancellationToken)
    {
        var shown = JsonSerializer.Serialize(issues.Take(IssuesShown).Select(i => new { i.Line, i.Field, i.Reason, i.Message }));
        return db.DatasetImports.Where(i => i.Id == importId).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.LinesRead, summary.LinesRead)
            .SetProperty(i => i.Accepted, summary.Accepted)
            .SetProperty(i => i.Rejected, summary.Rejected)
            .SetProperty(i => i.Blank, summary.Blank)
            .SetProperty(i => i.FirstIssues, shown)
            .SetProperty(i => i.DatasetVersionId, versionId)
            .SetProperty(i => i.CompletedAt, DateTime.UtcNow), cancellationToken);
    }

    private sealed class ImportRejectedException : Exception;

    /// <summary>Progress by bytes read, reported every few thousand records rather than per line.</summary>
    private sealed class ImportProgress(JobContext context, long totalBytes, ImportSummary summary)
    {
        private long _nextReport = 5000;

        public async ValueTask ReportAsync(CancellationToken cancellationToken)
        {
            if (summary.RecordsRead < _nextReport)
            {
                return;
            }

            _nextReport += 20_000;
            var fraction = totalBytes == 0 ? 0 : 0.9 * summary.BytesRead / totalBytes;
            await context.ReportProgressAsync(fraction, $"{summary.Accepted:N0} accepted, {summary.Rejected:N0} rejected", cancellationToken);
        }
    }
}
