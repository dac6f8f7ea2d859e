using Distill.Teachers;
using Distill.Web.Teachers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Distill.Web.Api;

public static class TeachersApi
{
    public static IEndpointRouteBuilder MapTeachersApi(this IEndpointRouteBuilder app)
    {
        var teachers = app.MapGroup("/api/v1/teachers").WithTags("Teachers");
        teachers.MapGet("/", ListAsync).WithSummary("Every teacher of the project; keys are never returned.");
        teachers.MapGet("/{id:guid}", GetAsync).WithSummary("One teacher.");
        teachers.MapPost("/", CreateAsync).WithSummary("Connects a teacher; the API key is encrypted at rest.");
        teachers.MapPut("/{id:guid}", UpdateAsync).WithSummary("Changes a teacher; a null apiKey keeps the stored one, an empty one removes it.");
        teachers.MapPost("/{id:guid}/test", TestAsync).WithSummary("Sends the teacher one tiny request: ok with its latency, or the one-sentence reason it failed.");
        teachers.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Deletes a teacher that has no captured completions.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<TeacherView>>> ListAsync(TeacherCatalog catalog, CancellationToken cancellationToken) =>
        TypedResults.Ok(await catalog.ListAsync(cancellationToken));

    private static async Task<Results<Ok<TeacherView>, NotFound>> GetAsync(Guid id, TeacherCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.FindAsync(id, cancellationToken) is { } teacher ? TypedResults.Ok(teacher) : TypedResults.NotFound();

    private static async Task<Results<Created<TeacherView>, ValidationProblem>> CreateAsync(
        TeacherInput input, TeacherCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.CreateAsync(input, cancellationToken);
        return result.Teacher is { } teacher
            ? TypedResults.Created($"/api/v1/teachers/{teacher.Id}", teacher)
            : TypedResults.ValidationProblem(result.Errors);
    }

    private static async Task<Results<Ok<TeacherView>, ValidationProblem, NotFound>> UpdateAsync(
        Guid id, TeacherInput input, TeacherCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.UpdateAsync(id, input, cancellationToken) switch
        {
            null => TypedResults.NotFound(),
            { Teacher: { } teacher } => TypedResults.Ok(teacher),
            var failed => TypedResults.ValidationProblem(failed.Errors),
        };

    private static async Task<Results<Ok<TeacherConnectionResult>, NotFound>> TestAsync(Guid id, TeacherCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.TestAsync(id, cancellationToken) is { } result ? TypedResults.Ok(result) : TypedResults.NotFound();

    private static async Task<Results<NoContent, Conflict<string>>> DeleteAsync(Guid id, TeacherCatalog catalog, CancellationToken cancellationToken) =>
        await catalog.DeleteAsync(id, cancellationToken) is { } reason ? TypedResults.Conflict(reason) : TypedResults.NoContent();
}
