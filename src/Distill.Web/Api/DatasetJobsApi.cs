using Azure.Storage.Blobs;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Microsoft.EntityFrameworkCore;
using Distill.Web.Datasets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Distill.Web.Api;

public static class DatasetJobsApi
{
    public static IEndpointRouteBuilder MapDatasetJobsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Datasets");
        group.MapPost("/datasets/{id:guid}/imports", (Guid id, ImportRequest request, DatasetJobLauncher launcher, CancellationToken ct) =>
                Respond(launcher.StartImportAsync(id, request, ct)))
            .WithSummary("Imports an upload into a new version: chat, prompt-completion, stored-completions or csv; reject all or quarantine bad lines.");
        group.MapPost("/datasets/{id:guid}/capture-snapshots", (Guid id, CaptureSnapshotRequest request, DatasetJobLauncher launcher, CancellationToken ct) =>
                Respond(launcher.StartCaptureSnapshotAsync(id, request, ct)))
            .WithSummary("Turns captured exchanges into a new version.");
        group.MapPost("/versions/{id:guid}/curations", (Guid id, CurationRequest request, DatasetJobLauncher launcher, CancellationToken ct) =>
                Respond(launcher.StartCurationAsync(id, request, ct)))
            .WithSummary("Makes a new version by one operation: filter, exact-dedup, near-dedup, redact-pii, decontaminate, split or sample.");
        group.MapPost("/versions/{id:guid}/generations", (Guid id, GenerationRequest request, DatasetJobLauncher launcher, CancellationToken ct) =>
                Respond(launcher.StartGenerationAsync(id, request, ct)))
            .WithSummary("Runs a teacher over a version's prompts; its answers make a new version.");
        group.MapGet("/imports/{id:guid}", ImportAsync).WithSummary("An import's counts and first issues (line, field, reason); the id is the import job's.");
        group.MapGet("/imports/{id:guid}/quarantine", QuarantineAsync).WithSummary("Every rejected line of an import with its reasons, as JSONL.");
        return app;
    }

    private static async Task<Results<Ok<DatasetImport>, NotFound>> ImportAsync(Guid id, DatasetCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.ImportAsync(id, cancellationToken) is { } import
            ? TypedResults.Ok(import)
            : TypedResults.NotFound();

    private static async Task<IResult> QuarantineAsync(Guid id, DatasetCatalog catalog, BlobServiceClient blobs, CancellationToken cancellationToken)
    {
        if (await catalog.ImportAsync(id, cancellationToken) is not { QuarantineBlobName: { } name, CompletedAt: not null })
        {
            return TypedResults.NotFound("There is no finished import with this id.");
        }

        var blob = blobs.GetBlobContainerClient(DatasetBlobs.Uploads).GetBlobClient(name);
        return await blob.ExistsAsync(cancellationToken)
            ? TypedResults.Stream(await blob.OpenReadAsync(cancellationToken: cancellationToken), "application/jsonl", $"quarantine-{id}.jsonl")
            : TypedResults.File(Array.Empty<byte>(), "application/jsonl", $"quarantine-{id}.jsonl");
    }

    private static async Task<Results<Accepted<JobView>, ValidationProblem>> Respond(Task<JobStart> start) =>
        await start is { Job: { } job }
            ? TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobView.From(job))
            : TypedResults.ValidationProblem((await start).Errors);
}
