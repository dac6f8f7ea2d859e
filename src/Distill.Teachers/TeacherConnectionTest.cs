using System.Diagnostics;
using Distill.Core.Datasets;

namespace Distill.Teachers;

/// <summary>"Test connection" on the Teachers page: one tiny request, no retries, nothing stored.</summary>
public static class TeacherConnectionTest
{
    // Enough room for reasoning models, which spend tokens before the first visible one.
    private const int MaxOutputTokens = 16;

    public static async Task<TeacherConnectionResult> RunAsync(TeacherClient client, CancellationToken cancellationToken = default)
    {
        var request = new TeacherRequest([new ExampleMessage(ExampleMessage.User, "Reply with the single word: ok")])
        {
            MaxOutputTokens = MaxOutputTokens,
            Store = false,
        };
        var started = Stopwatch.GetTimestamp();
        try
        {
            var answer = await client.AskAsync(request, cancellationToken);
            return new TeacherConnectionResult(true, answer.Latency, answer.Model, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (TeacherFailure.Classify(e, client.Teacher.Auth, DateTimeOffset.UtcNow) is { } failure)
        {
            return new TeacherConnectionResult(false, Stopwatch.GetElapsedTime(started), null, failure.Message, failure.Kind);
        }
    }
}
