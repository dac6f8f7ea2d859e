using Distill.Core;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Imports;
using Distill.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Distill.Web.Datasets;

/// <summary>A job that was queued, or the field errors that kept it from being queued.</summary>
public sealed record JobStart(Job? Job, Dictionary<string, string[]> Errors)
{
    public static JobStart Invalid(string field, string reason) => new(null, new() { [field] = [reason] });
}

/// <summary>Checks a dataset job's request against what exists, then queues it; pages and the API both start jobs here.</summary>
public sealed class DatasetJobLauncher(DistillDbContext db, JobScheduler scheduler)
{
    public async Task<JobStart> StartImportAsync(Guid datasetId, ImportRequest request, CancellationToken cancellationToken)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == datasetId, cancellationToken))
        {
            return JobStart.Invalid("datasetId", "There is no such dataset.");
        }

        if (await db.Uploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == request.UploadId, cancellationToken) is not { Complete: true })
        {
            return JobStart.Invalid("uploadId", "There is no complete upload with this id; upload the file first.");
        }

        try
        {
            ImportOptionsRules.Validate(request.Options());
        }
        catch (ArgumentException ex)
        {
            return JobStart.Invalid("options", ex.Reason());
        }

        return new(await scheduler.EnqueueAsync(JobKinds.Import, new ImportPayload(datasetId, request), cancellationToken), []);
    }

    public async Task<JobStart> StartCurationAsync(Guid versionId, CurationRequest request, CancellationToken cancellationToken)
    {
        if (await ReadyVersionAsync(versionId, cancellationToken) is not { } version)
        {
            return JobStart.Invalid("versionId", "There is no ready version with this id.");
        }

        if (CurationRequestRules.Validate(request) is { Count: > 0 } errors)
        {
            return new(null, errors);
        }

        if (request.EvaluationVersionId is { } evaluation && await ReadyVersionAsync(evaluation, cancellationToken) is null)
        {
            return JobStart.Invalid("evaluationVersionId", "There is no ready version with this id to decontaminate against.");
        }

        return new(await scheduler.EnqueueAsync(JobKinds.Curate, new CurationPayload(version.DatasetId, version.Id, request), cancellationToken), []);
    }

    public async Task<JobStart> StartGenerationAsync(Guid versionId, GenerationRequest request, CancellationToken cancellationToken)
    {
        if (await ReadyVersionAsync(versionId, cancellationToken) is not { } version)
        {
            return JobStart.Invalid("versionId", "There is no ready version with this id.");
        }

        if (!await db.Teachers.AnyAsync(t => t.Id == request.TeacherId, cancellationToken))
        {
            return JobStart.Invalid("teacherId", "There is no such teacher.");
        }

        if (request.MaxOutputTokens is < 1 or > 128_000)
        {
            return JobStart.Invalid("maxOutputTokens", "The answer limit must be between 1 and 128000 tokens.");
        }

        if (request.MinSuccessRatio is < 0 or > 1)
        {
            return JobStart.Invalid("minSuccessRatio", "The minimum success ratio is a fraction between 0 and 1.");
        }

        if (request.Temperature is < 0 or > 2 || request.TopLogprobs is < 0 or > 20)
        {
            return JobStart.Invalid("temperature", "Temperature must be between 0 and 2 and top logprobs between 0 and 20.");
        }

        return new(await scheduler.EnqueueAsync(JobKinds.Generate, new GenerationPayload(version.DatasetId, version.Id, request), cancellationToken), []);
    }

    public async Task<JobStart> StartCaptureSnapshotAsync(Guid datasetId, CaptureSnapshotRequest request, CancellationToken cancellationToken)
    {
        if (!await db.Datasets.AnyAsync(d => d.Id == datasetId, cancellationToken))
        {
            return JobStart.Invalid("datasetId", "There is no such dataset.");
        }

        if (request.From > request.To)
        {
            return JobStart.Invalid("from", "The period starts after it ends.");
        }

        return new(await scheduler.EnqueueAsync(JobKinds.CaptureSnapshot, new CaptureSnapshotPayload(datasetId, request), cancellationToken), []);
    }

    private Task<DatasetVersion?> ReadyVersionAsync(Guid versionId, CancellationToken cancellationToken) =>
        db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId && v.Status == DatasetVersionStatus.Ready, cancellationToken);
}
