using Distill.Testing.FakeTeacher;
using static Distill.Teachers.Tests.TeacherTestKit;

namespace Distill.Teachers.Tests;

/// <summary>Recovering an answer the service gave (and stored) but we never recorded, as after a crash.</summary>
public sealed class TeacherStoredCompletionsTests
{
    [Theory]
    [InlineData("azure")]
    [InlineData("openai")]
    public async Task An_answer_paid_for_but_lost_on_the_way_is_found_by_its_metadata(string kind)
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = Of(kind, server);
        using var client = Client(server, teacher);
        var metadata = new Dictionary<string, string> { ["distill_job"] = "job-9", ["distill_example"] = "ex-42" };
        await client.AskAsync(Ask("Warm up", new Dictionary<string, string> { ["distill_job"] = "job-9", ["distill_example"] = "ex-41" }), default);
        server.FailNext(1, FakeTeacherFault.Dropped());

        var lost = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry(attempts: 1)).ExecuteAsync((_, ct) => client.AskAsync(Ask("Lost answer", metadata), ct), default));
        Assert.Equal(TeacherFailureKind.Connection, lost.Failure.Kind);
        Assert.Equal(0, server.AnswersFor("ex-42"));

        var found = await TeacherStoredCompletions.FindAsync(client, metadata);

        Assert.NotNull(found);
        Assert.Equal("You asked: Lost answer", found.Text);
        Assert.Equal("stop", found.FinishReason);
        Assert.True(found.InputTokens > 0);
        Assert.Equal(4, found.OutputTokens);
        Assert.Equal(teacher.CostOf(found.InputTokens, found.OutputTokens), found.Cost);
        Assert.StartsWith("chatcmpl-fake", found.CompletionId);
        Assert.Equal(2, server.Store.Count);
        Assert.Null(await TeacherStoredCompletions.FindAsync(client, new Dictionary<string, string> { ["distill_job"] = "job-9", ["distill_example"] = "ex-43" }));
    }
}
