using System.Collections.Concurrent;
using System.Diagnostics;
using Distill.Testing.FakeTeacher;
using static Distill.Teachers.Tests.TeacherTestKit;

namespace Distill.Teachers.Tests;

/// <summary>The generation engine over the real SDK clients, against a fake teacher that misbehaves on purpose.</summary>
public sealed class TeacherGenerationTests
{
    private static IReadOnlyList<TeacherWorkItem> Items(int count, string job = "job-1") =>
        Enumerable.Range(0, count).Select(i =>
        {
            var id = $"ex-{i:D4}";
            var request = Ask($"Question number {i}", new Dictionary<string, string> { ["distill_job"] = job, ["distill_example"] = id }) with { MaxOutputTokens = 64 };
            return new TeacherWorkItem(id, request);
        }).ToList();

    [Fact]
    public async Task Two_hundred_items_through_429s_and_500s_are_each_answered_exactly_once_with_true_totals()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        server.FaultPlan = (n, _) => (n % 10) switch
        {
            3 => FakeTeacherFault.RateLimitedMs(20),
            7 => FakeTeacherFault.ServerError(n % 20 == 7 ? 500 : 503),
            _ => null,
        };
        var teacher = AzureTeacher(server);
        teacher.MaxConcurrency = 16;
        teacher.RequestsPerMinute = 60_000;
        teacher.TokensPerMinute = 10_000_000;
        using var client = Client(server, teacher);
        var recorded = new ConcurrentDictionary<string, TeacherAnswer>();
        var duplicates = 0;
        var reports = new ConcurrentQueue<TeacherGenerationProgress>();
        var items = Items(200);

        var summary = await new TeacherGeneration(client, new TeacherGenerationOptions { Retry = FastRetry(attempts: 8) }).RunAsync(
            items,
            (item, answer, _) =>
            {
                if (!recorded.TryAdd(item.Id, answer))
                {
                    Interlocked.Increment(ref duplicates);
                }

                return ValueTask.CompletedTask;
            },
            new SynchronousProgress<TeacherGenerationProgress>(reports.Enqueue));

        Assert.Equal(0, duplicates);
        Assert.Equal(200, summary.Answered);
        Assert.Equal(0, summary.Failed);
        Assert.Equal(0, summary.NotRun);
        Assert.All(items, item => Assert.Equal(1, server.AnswersFor(item.Id)));
        Assert.Equal(200, server.AnswersDelivered);
        Assert.All(recorded, r => Assert.Equal($"You asked: Question number {int.Parse(r.Key[3..])}", r.Value.Text));
        // Every request the service saw was counted, and every one beyond the 200 answers was a retry.
        Assert.Equal(server.ChatRequests, summary.Requests);
        Assert.Equal(summary.Requests - 200, summary.Retries);
        Assert.True(summary.Retries >= 30, $"only {summary.Retries} retries");
        Assert.Equal(recorded.Values.Sum(a => a.InputTokens), summary.InputTokens);
        Assert.Equal(recorded.Values.Sum(a => a.OutputTokens), summary.OutputTokens);
        Assert.Equal(teacher.CostOf(summary.InputTokens, summary.OutputTokens), summary.Cost);
        Assert.True(server.MaxConcurrentRequests <= 16, $"{server.MaxConcurrentRequests} concurrent");
        Assert.Equal(200, reports.Count);
        var last = reports.MaxBy(r => r.Answered)!;
        Assert.Equal((200, summary.InputTokens, summary.OutputTokens, summary.Cost), (last.Answered, last.InputTokens, last.OutputTokens, last.Cost));
    }

    [Fact]
    public async Task The_service_never_sees_more_concurrent_requests_than_the_cap()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        server.Delay = TimeSpan.FromMilliseconds(30);
        var teacher = OpenAITeacher(server);
        teacher.MaxConcurrency = 4;
        using var client = Client(server, teacher);

        var summary = await new TeacherGeneration(client).RunAsync(Items(40), (_, _, _) => ValueTask.CompletedTask);

        Assert.Equal(40, summary.Answered);
        Assert.Equal(4, server.MaxConcurrentRequests);
    }

    [Fact]
    public async Task Requests_per_minute_hold_in_real_time()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        teacher.MaxConcurrency = 8;
        using var client = Client(server, teacher);
        // 600 a minute is one every 100 ms; a burst of 100 ms lets only the first go at once.
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(600, null, 8) { Burst = TimeSpan.FromMilliseconds(100) });

        var clock = Stopwatch.StartNew();
        var summary = await new TeacherGeneration(client, new TeacherGenerationOptions { RateLimiter = limiter }).RunAsync(Items(11), (_, _, _) => ValueTask.CompletedTask);

        Assert.Equal(11, summary.Answered);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Cancelling_stops_new_requests_and_lets_those_in_flight_be_recorded()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        server.Delay = TimeSpan.FromMilliseconds(150);
        var teacher = OpenAITeacher(server);
        teacher.MaxConcurrency = 2;
        using var client = Client(server, teacher);
        using var cancel = new CancellationTokenSource();
        var recorded = new ConcurrentBag<string>();

        var summary = await new TeacherGeneration(client).RunAsync(
            Items(50),
            (item, _, _) =>
            {
                recorded.Add(item.Id);
                cancel.Cancel();
                return ValueTask.CompletedTask;
            },
            cancellationToken: cancel.Token);
        var seen = server.ChatRequests;
        await Task.Delay(300);

        Assert.True(summary.Cancelled);
        Assert.InRange(summary.Answered, 1, 2); // The first answer, and its twin already in flight.
        Assert.Equal(summary.Answered, recorded.Count);
        Assert.Equal(50 - summary.Answered, summary.NotRun);
        Assert.Equal(server.AnswersDelivered, summary.Answered);
        Assert.Equal(seen, server.ChatRequests);
        Assert.InRange(seen, 1, 3);
    }

    [Fact]
    public async Task Failures_are_reported_per_item_with_reasons_and_the_success_ratio_check_fails_with_a_report()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        server.FaultPlan = (_, request) => request.ExampleKey is "ex-0003" or "ex-0007"
            ? FakeTeacherFault.Rejected(400, "This model's maximum context length is 8192 tokens")
            : request.ExampleKey == "ex-0005" ? FakeTeacherFault.ServerError(502) : null;
        var teacher = AzureTeacher(server);
        using var client = Client(server, teacher);

        var summary = await new TeacherGeneration(client, new TeacherGenerationOptions { Retry = FastRetry(attempts: 2) })
            .RunAsync(Items(10), (_, _, _) => ValueTask.CompletedTask);

        Assert.Equal(7, summary.Answered);
        Assert.Equal(3, summary.Failed);
        Assert.Equal(["ex-0003", "ex-0005", "ex-0007"], summary.Failures.Select(f => f.Id).Order());
        Assert.Equal(
            [("The teacher rejected the request as invalid (400): This model's maximum context length is 8192 tokens.", 2),
             ("The teacher kept failing (502) through 2 attempts: the service is in trouble, try again later.", 1)],
            summary.FailureReasons);
        Assert.Equal(0.7, summary.SuccessRatio, 3);
        summary.EnsureSuccessRatio(0.7);
        var error = Assert.Throws<TeacherGenerationException>(() => summary.EnsureSuccessRatio(0.9));
        Assert.StartsWith("The teacher answered 70.0% of the examples it was asked, below the required 90%: 7 of 10 answered, 3 failed;", error.Message);
        Assert.Contains("\n2× The teacher rejected the request as invalid (400)", error.Message);
    }

    [Fact]
    public async Task A_failure_to_record_stops_the_run_and_is_rethrown()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        teacher.MaxConcurrency = 1;
        using var client = Client(server, teacher);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new TeacherGeneration(client).RunAsync(
            Items(20), (_, _, _) => throw new InvalidOperationException("database down")));

        Assert.Equal("database down", error.Message);
        Assert.Equal(1, server.ChatRequests);
    }

    /// <summary>Reports on the worker's thread, so a test sees every report before RunAsync returns.</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
