using Distill.Core.Datasets;
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
        return app;
    }

    private static async Task<Results<Accepted<JobView>, ValidationProblem>> Respond(Task<JobStart> start) =>
        await start is { Job: { } job }
            ? TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobView.From(job))
            : TypedResults.ValidationProblem((await start).Errors);
}
