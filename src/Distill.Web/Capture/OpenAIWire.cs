using System.Text.Json;
using Distill.Teachers;

namespace Distill.Web.Capture;

/// <summary>OpenAI's chat completions response shapes, as the capture endpoint writes them back to the caller.</summary>
internal static class OpenAIWire
{
    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static Task WriteCompletionAsync(HttpContext http, string id, long created, TeacherAnswer answer, CancellationToken cancellationToken) =>
        http.Response.WriteAsJsonAsync(new
        {
            id, @object = "chat.completion", created, model = answer.Model,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = answer.Text }, finish_reason = answer.FinishReason ?? "stop", logprobs = Logprobs(answer) } },
            usage = Usage(answer),
        }, Json, cancellationToken);

    public static void StartStream(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
    }

    public static async ValueTask WriteDeltaAsync(HttpContext http, string id, long created, string model, string text, CancellationToken cancellationToken) =>
        await EventAsync(http, new { id, @object = "chat.completion.chunk", created, model, choices = new[] { new { index = 0, delta = new { content = text }, finish_reason = (string?)null } } }, cancellationToken);

    public static async Task EndStreamAsync(HttpContext http, string id, long created, TeacherAnswer answer, CancellationToken cancellationToken)
    {
        await EventAsync(http, new { id, @object = "chat.completion.chunk", created, model = answer.Model, choices = new[] { new { index = 0, delta = new { }, finish_reason = answer.FinishReason ?? "stop" } } }, cancellationToken);
        await EventAsync(http, new { id, @object = "chat.completion.chunk", created, model = answer.Model, choices = Array.Empty<object>(), usage = Usage(answer) }, cancellationToken);
        await http.Response.WriteAsync("data: [DONE]\n\n", cancellationToken);
    }

    public static Task WriteErrorAsync(HttpContext http, int status, string message, string type, string? code, CancellationToken cancellationToken)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error = new { message, type, param = (string?)null, code } }, cancellationToken);
    }

    private static async Task EventAsync<T>(HttpContext http, T payload, CancellationToken cancellationToken)
    {
        await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload, Json) + "\n\n", cancellationToken);
        await http.Response.Body.FlushAsync(cancellationToken);
    }

    private static object Usage(TeacherAnswer answer) =>
        new { prompt_tokens = answer.InputTokens, completion_tokens = answer.OutputTokens, total_tokens = answer.InputTokens + answer.OutputTokens };

    private static object? Logprobs(TeacherAnswer answer) =>
        answer.Logprobs is not { Count: > 0 } tokens ? null : new
        {
            content = tokens.Select(t => new { token = t.Token, logprob = t.Logprob, top_logprobs = t.TopLogprobs.Select(a => new { token = a.Token, logprob = a.Logprob }) }),
        };
}
