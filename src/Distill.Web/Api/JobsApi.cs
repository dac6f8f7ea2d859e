using Distill.Core.Diagnostics;
using Distill.Core.Jobs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Distill.Web.Api;

public sealed record JobView(
    Guid Id, string Kind, string Status, double Progress, string? Message, string? Error, int Attempt,
    DateTime CreatedAt, DateTime? StartedAt, DateTime? CompletedAt)
{
    public static JobView From(Job job) => new(
        job.Id, job.Kind, job.Status.ToString().ToLowerInvariant(), job.Progress, job.ProgressMessage, job.Error, job.Attempt,
        job.CreatedAt, job.StartedAt, job.CompletedAt);
}

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/v1/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync).WithSummary("The most recent jobs, newest first.");
        jobs.MapGet("/{id:guid}", GetAsync).WithSummary("One job with its status and progress.");
        jobs.MapPost("/diagnostic", RunDiagnosticAsync).WithSummary("Queues a diagnostic job that exercises every component.");
        jobs.MapPost("/{id:guid}/cancel", CancelAsync).WithSummary("Cancels a queued job, or asks the process running it to stop.");
        return app;
    }

    private static async Task<Ok<JobView[]>> ListAsync(JobStore store, int? take, CancellationToken cancellationToken) =>
        TypedResults.Ok((await store.ListRecentAsync(Math.Clamp(take ?? 100, 1, 1000), cancellationToken)).Select(JobView.From).ToArray());

    private static async Task<Results<Ok<JobView>, NotFound>> GetAsync(Guid id, JobStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } job ? TypedResults.Ok(JobView.From(job)) : TypedResults.NotFound();

    private static async Task<Results<Accepted<JobView>, ValidationProblem>> RunDiagnosticAsync(
        DiagnosticPayload? payload, JobScheduler scheduler, CancellationToken cancellationToken)
    {
        payload ??= new DiagnosticPayload();
        var errors = DiagnosticPayloadRules.Validate(payload);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var job = await scheduler.EnqueueAsync(JobKinds.Diagnostic, payload, cancellationToken);
        return TypedResults.Accepted($"/api/v1/jobs/{job.Id}", JobView.From(job));
    }

    private static async Task<Results<Accepted, Conflict<string>>> CancelAsync(Guid id, JobStore store, CancellationToken cancellationToken) =>
        await store.RequestCancelAsync(id, cancellationToken)
            ? TypedResults.Accepted($"/api/v1/jobs/{id}")
            : TypedResults.Conflict("The job does not exist or has already finished.");
}
