using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Distill.Core.Teachers;
using Distill.Testing.FakeTeacher;
using static Distill.Teachers.Tests.TeacherTestKit;

namespace Distill.Teachers.Tests;

/// <summary>The retry policy around real SDK calls: what is retried, how long it waits, and what fails at once.</summary>
public sealed class TeacherRetryPolicyTests
{
    [Fact]
    public async Task A_429_waits_at_least_its_Retry_After_then_succeeds()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = AzureTeacher(server);
        using var client = Client(server, teacher);
        server.FailNext(1, FakeTeacherFault.RateLimited(retryAfterSeconds: 1));
        var retries = new List<TeacherRetry>();

        var clock = Stopwatch.StartNew();
        var answer = await TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Again?"), ct), default, retries.Add);
        clock.Stop();

        Assert.Equal("You asked: Again?", answer.Text);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1), $"waited only {clock.Elapsed.TotalMilliseconds} ms");
        var retry = Assert.Single(retries);
        Assert.Equal(TeacherFailureKind.RateLimited, retry.Failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.Failure.RetryAfter);
        Assert.Equal(2, server.ChatRequests);
    }

    [Fact]
    public async Task Azure_retry_after_ms_is_preferred_to_Retry_After()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = AzureTeacher(server);
        using var client = Client(server, teacher);
        server.FailNext(1, new FakeTeacherFault { Status = 429, RetryAfter = "30", RetryAfterMs = "150" });

        var clock = Stopwatch.StartNew();
        await TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Soon?"), ct), default);

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_500_is_retried_by_us_alone_since_the_SDK_retries_are_off()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        using var client = Client(server, teacher);
        server.FailNext(1, FakeTeacherFault.ServerError(500));

        var answer = await TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Up?"), ct), default);

        Assert.Equal("You asked: Up?", answer.Text);
        Assert.Equal(2, server.ChatRequests);

        server.FailNext(5, FakeTeacherFault.ServerError(503));
        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry(attempts: 3)).ExecuteAsync((_, ct) => client.AskAsync(Ask("Up?"), ct), default));
        Assert.Equal(5, server.ChatRequests); // 2 before, then exactly our 3 attempts: none added by the SDK.
        Assert.Equal(TeacherFailureKind.ServerError, error.Failure.Kind);
        Assert.Equal(3, error.Attempts);
        Assert.Equal("The teacher kept failing (503) through 3 attempts: the service is in trouble, try again later.", error.Message);
    }

    [Theory]
    [InlineData("azure")]
    [InlineData("openai")]
    public async Task A_rejected_key_fails_at_once_with_one_sentence_that_never_contains_the_key(string kind)
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = Of(kind, server);
        const string wrongKey = "sk-wrong-0123456789abcdefghijklmnopqrstuvwxyz";
        using var client = Client(server, teacher, apiKey: wrongKey);

        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Key?"), ct), default));

        Assert.Equal("The teacher rejected the API key (401): enter the key that belongs to this endpoint.", error.Message);
        Assert.Equal(1, error.Attempts);
        Assert.Equal(1, server.Requests);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain("0123456789abcdef", error.ToString());
    }

    [Fact]
    public async Task A_400_fails_at_once_and_quotes_the_service_without_anything_key_like()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        using var client = Client(server, teacher);
        server.FailNext(1, FakeTeacherFault.Rejected(400, "Unsupported value: 'temperature' does not support 0.2 with this model (key sk-proj-ABCDEFGHIJ0123456789abcdefghij0123)."));

        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Bad?"), ct), default));

        Assert.Equal(TeacherFailureKind.BadRequest, error.Failure.Kind);
        Assert.Equal("The teacher rejected the request as invalid (400): Unsupported value: 'temperature' does not support 0.2 with this model (key [redacted]).", error.Message);
        Assert.Equal(1, server.ChatRequests);
    }

    [Fact]
    public async Task A_wrong_base_url_is_a_404_that_says_what_to_check()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        teacher.Endpoint = server.BaseUri.ToString(); // Without /v1.
        using var client = Client(server, teacher);

        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Where?"), ct), default));

        Assert.Equal(TeacherFailureKind.NotFound, error.Failure.Kind);
        Assert.StartsWith("The teacher has no such endpoint, deployment or model (404)", error.Message);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_response_slower_than_the_network_timeout_is_retried()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        using var client = Client(server, teacher, networkTimeout: TimeSpan.FromMilliseconds(300));
        var first = 0;
        server.DelayFor = _ => Interlocked.Exchange(ref first, 1) == 0 ? TimeSpan.FromSeconds(5) : TimeSpan.Zero;
        var retries = new List<TeacherRetry>();

        var clock = Stopwatch.StartNew();
        var answer = await TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Slow?"), ct), default, retries.Add);

        Assert.Equal("You asked: Slow?", answer.Text);
        Assert.Equal(TeacherFailureKind.Timeout, Assert.Single(retries).Failure.Kind);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task An_unreachable_teacher_is_retried_then_reported_as_a_connection_failure()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // Nothing listens there now.
        var teacher = new Teacher { Name = "gone", Kind = TeacherKind.OpenAICompatible, Endpoint = $"http://127.0.0.1:{port}/v1", Model = "m", Auth = TeacherAuth.None };
        using var client = new TeacherClientFactory().Create(teacher, apiKey: null);

        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry(attempts: 2)).ExecuteAsync((_, ct) => client.AskAsync(Ask("Anyone?"), ct), default));

        Assert.Equal(TeacherFailureKind.Connection, error.Failure.Kind);
        Assert.Equal(2, error.Attempts);
        Assert.StartsWith("Could not reach the teacher (", error.Message);
        Assert.EndsWith("check the endpoint URL and the network (tried 2 times).", error.Message);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_the_maximum_delay_fails_instead_of_waiting()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = AzureTeacher(server);
        using var client = Client(server, teacher);
        server.FailNext(1, FakeTeacherFault.RateLimited(retryAfterSeconds: 600));

        var error = await Assert.ThrowsAsync<TeacherException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Wait?"), ct), default));

        Assert.Equal("The teacher asked us to wait 600 s (429), longer than the 5 s we wait: lower the teacher's requests or tokens per minute, or raise its quota.", error.Message);
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_mistaken_for_a_timeout()
    {
        await using var server = await FakeTeacherServer.StartAsync();
        var teacher = OpenAITeacher(server);
        using var client = Client(server, teacher);
        server.Delay = TimeSpan.FromSeconds(5);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            TeacherRetryPolicy.For(teacher, FastRetry()).ExecuteAsync((_, ct) => client.AskAsync(Ask("Stop?"), ct), cancel.Token));

        Assert.Equal(1, server.ChatRequests);
    }

    [Fact]
    public void Backoff_grows_exponentially_within_jitter_and_is_capped()
    {
        var policy = new TeacherRetryPolicy(new TeacherRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) });
        var failure = new TeacherFailure(TeacherFailureKind.ServerError, 500, null, "x");

        Assert.InRange(policy.DelayAfter(1, failure), TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        Assert.InRange(policy.DelayAfter(3, failure), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.InRange(policy.DelayAfter(20, failure), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        Assert.InRange(policy.DelayAfter(1, failure with { RetryAfter = TimeSpan.FromSeconds(3) }), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3.3));
    }
}
