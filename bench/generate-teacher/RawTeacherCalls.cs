using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Distill.Core.Teachers;

namespace Distill.Bench.GenerateTeacher;

/// <summary>
/// The reference: the same requests as a hand-written JSON body over a bare HttpClient, the reply parsed just
/// enough to get the text and usage. Whatever the SDK path costs beyond this is its overhead.
/// </summary>
internal static class RawTeacherCalls
{
    public static async Task<double> RunAsync(HttpClient http, Teacher teacher, string apiKey, int count, int concurrency, int offset)
    {
        var azure = teacher.Kind == TeacherKind.AzureOpenAI;
        var url = azure
            ? new Uri(new Uri(teacher.Endpoint), $"openai/deployments/{teacher.Model}/chat/completions?api-version={teacher.ApiVersion}")
            : new Uri(teacher.Endpoint.TrimEnd('/') + "/chat/completions");
        using var gate = new SemaphoreSlim(concurrency);
        long latencyTicks = 0;
        var tasks = Enumerable.Range(offset, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var body = $$"""{"model":"{{teacher.Model}}","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Question number {{i}}"}],"max_completion_tokens":64}""";
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                if (azure)
                {
                    request.Headers.Add("api-key", apiKey);
                }
                else
                {
                    request.Headers.Authorization = new("Bearer", apiKey);
                }

                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                response.EnsureSuccessStatusCode();
                var bytes = await response.Content.ReadAsByteArrayAsync();
                using var json = JsonDocument.Parse(bytes);
                var text = json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
                var usage = json.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
                Interlocked.Add(ref latencyTicks, Stopwatch.GetTimestamp() - started);
                if (text is null || usage <= 0)
                {
                    throw new InvalidOperationException("The fake teacher sent an empty answer.");
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks);
        return Stopwatch.GetElapsedTime(0, latencyTicks).TotalMilliseconds;
    }
}
