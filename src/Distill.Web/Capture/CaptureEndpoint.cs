using System.Diagnostics;
using System.Text.Json;
using Distill.Core.Capture;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Core.Projects;
using Distill.ServiceDefaults.DataProtection;
using Distill.Teachers;
using Microsoft.EntityFrameworkCore;

namespace Distill.Web.Capture;

/// <summary>
/// An OpenAI-compatible <c>/v1/chat/completions</c> that forwards to a teacher (named by <c>model</c>) and keeps
/// every exchange, streamed or not, as a captured completion: an application switches to Distill by changing its
/// base URL, and its traffic becomes training data.
/// </summary>
public static class CaptureEndpoint
{
    public static IEndpointRouteBuilder MapCaptureEndpoint(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", HandleAsync).WithTags("Capture")
            .WithSummary("OpenAI chat completions, forwarded to the teacher named by 'model'; each exchange is captured with its usage and cost.");
        return app;
    }

    private static async Task HandleAsync(
        HttpContext http, JsonElement body, DistillDbContext db, TeacherKeyProtector keys, TeacherClientFactory clients, CancellationToken cancellationToken)
    {
        var (request, error) = CaptureRequest.Parse(body);
        if (request is null)
        {
            await OpenAIWire.WriteErrorAsync(http, 400, error!, "invalid_request_error", null, cancellationToken);
            return;
        }

        var teacher = await db.Teachers.AsNoTracking().FirstOrDefaultAsync(t => t.ProjectId == Project.DefaultId && t.Name == request.Teacher, cancellationToken);
        if (teacher is null)
        {
            await OpenAIWire.WriteErrorAsync(http, 404, $"There is no teacher named '{request.Teacher}'; 'model' must be one of the project's teachers.", "invalid_request_error", "model_not_found", cancellationToken);
            return;
        }

        using var client = clients.Create(teacher, keys.ApiKeyOf(teacher));
        var teacherRequest = new TeacherRequest(request.Messages)
        {
            Temperature = request.Temperature, MaxOutputTokens = request.MaxTokens, TopLogprobs = request.TopLogprobs, Metadata = request.Metadata,
        };
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var started = Stopwatch.GetTimestamp();
        try
        {
            TeacherAnswer answer;
            if (request.Stream)
            {
                OpenAIWire.StartStream(http);
                answer = await client.StreamAsync(teacherRequest, (text, ct) => OpenAIWire.WriteDeltaAsync(http, id, created, teacher.Model, text, ct), cancellationToken);
                await OpenAIWire.EndStreamAsync(http, id, created, answer, cancellationToken);
            }
            else
            {
                answer = await client.AskAsync(teacherRequest, cancellationToken);
                await OpenAIWire.WriteCompletionAsync(http, id, created, answer, cancellationToken);
            }

            await RecordAsync(db, teacher.Id, request, answer, id, 200, null, started);
        }
        catch (Exception ex) when (TeacherFailure.Classify(ex, teacher.Auth, DateTimeOffset.UtcNow) is { } failure)
        {
            await RecordAsync(db, teacher.Id, request, null, id, failure.Status ?? 502, failure.Message, started);
            if (!http.Response.HasStarted)
            {
                await OpenAIWire.WriteErrorAsync(http, failure.Status is >= 400 and < 500 ? failure.Status.Value : 502, failure.Message, "teacher_error", null, CancellationToken.None);
            }
        }
    }

    /// <summary>Kept even when the caller went away: the teacher was paid either way.</summary>
    private static async Task RecordAsync(
        DistillDbContext db, Guid teacherId, CaptureRequest request, TeacherAnswer? answer, string id, int status, string? error, long started)
    {
        var messages = answer is null ? request.Messages : [.. request.Messages, new ExampleMessage(ExampleMessage.Assistant, answer.Text)];
        db.CapturedCompletions.Add(new CapturedCompletion
        {
            ProjectId = Project.DefaultId, TeacherId = teacherId, Messages = ExampleJson.Messages(messages), Metadata = ExampleJson.Metadata(request.Metadata),
            RequestParameters = JsonSerializer.Serialize(new { request.Temperature, request.MaxTokens, request.TopLogprobs, request.Stream }, JobPayload.Json),
            Model = answer?.Model ?? request.Teacher, CompletionId = answer?.CompletionId ?? id, Streamed = request.Stream, StatusCode = status, Error = error,
            LatencyMs = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, InputTokens = (int)(answer?.InputTokens ?? 0), OutputTokens = (int)(answer?.OutputTokens ?? 0),
            Cost = answer?.Cost ?? 0, Logprobs = answer?.Logprobs is { Count: > 0 } logprobs ? JsonSerializer.Serialize(logprobs, JobPayload.Json) : null,
            CreatedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync(CancellationToken.None);
    }
}
