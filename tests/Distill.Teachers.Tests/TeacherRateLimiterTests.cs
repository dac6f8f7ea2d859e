namespace Distill.Teachers.Tests;

/// <summary>The limiter on a clock that moves only when the test says, so minutes pass in microseconds.</summary>
public sealed class TeacherRateLimiterTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Requests_per_minute_are_paced_and_never_exceeded_over_a_minute()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(RequestsPerMinute: 60, TokensPerMinute: null, MaxConcurrency: 1000), clock);
        var pending = Enumerable.Range(0, 200).Select(_ => limiter.AcquireAsync(1, default).AsTask()).ToList();
        await Task.Delay(50);

        var granted = new List<int>();
        for (var second = 0; second <= 60; second++)
        {
            await Task.Yield();
            granted.Add(pending.Count(t => t.IsCompletedSuccessfully));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        await Task.WhenAll(pending.Take(62)).WaitAsync(Wait);
        // One at once (the burst is a second's worth), then one a second: 61 at t=60 s, never more.
        Assert.Equal(1, granted[0]);
        Assert.InRange(granted[30], 30, 31);
        Assert.InRange(granted[60], 60, 61);
    }

    [Fact]
    public async Task A_request_waits_exactly_until_its_token_is_there()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(60, null, 10), clock);
        using var first = await limiter.AcquireAsync(1, default);

        var second = limiter.AcquireAsync(1, default).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(990));
        await Task.Delay(20);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(10));
        (await second.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task Tokens_are_reserved_up_front_and_settled_with_the_real_usage()
    {
        var clock = new ManualTimeProvider();
        // 600 tokens/minute is 10 a second, and a bucket of one second's worth.
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, 600, 10), clock);
        var first = await limiter.AcquireAsync(10, default);

        var second = limiter.AcquireAsync(5, default).AsTask();
        await Task.Delay(20);
        Assert.False(second.IsCompleted);
        first.Settle(actualTokens: 4); // 6 of the 10 reserved come back.
        using var lease = await second.WaitAsync(Wait);
        first.Dispose();
    }

    [Fact]
    public async Task A_request_larger_than_the_bucket_goes_when_it_is_full_and_the_debt_holds_back_the_next()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, 600, 10), clock);
        (await limiter.AcquireAsync(40, default)).Dispose(); // 30 over the bucket of 10.

        var next = limiter.AcquireAsync(1, default).AsTask();
        clock.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(20);
        Assert.False(next.IsCompleted); // The debt of 30 took 3 s to repay; one more token takes another 0.1 s.
        clock.Advance(TimeSpan.FromMilliseconds(100));
        (await next.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task The_concurrency_cap_holds_until_a_lease_is_returned()
    {
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, null, 2));
        var a = await limiter.AcquireAsync(1, default);
        using var b = await limiter.AcquireAsync(1, default);

        var c = limiter.AcquireAsync(1, default).AsTask();
        await Task.Delay(20);
        Assert.False(c.IsCompleted);
        Assert.Equal(2, limiter.InUse);
        a.Dispose();
        a.Dispose(); // Twice is harmless.
        using var lease = await c.WaitAsync(Wait);
        Assert.Equal(2, limiter.InUse);
    }

    [Fact]
    public async Task First_come_first_served_and_a_cancelled_waiter_steps_aside()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, 600, 10), clock);
        (await limiter.AcquireAsync(10, default)).Dispose();
        using var cancel = new CancellationTokenSource();

        var big = limiter.AcquireAsync(10, cancel.Token).AsTask();
        var small = limiter.AcquireAsync(1, default).AsTask();
        clock.Advance(TimeSpan.FromMilliseconds(500));
        await Task.Delay(20);
        Assert.False(small.IsCompleted); // 5 tokens are there, enough for it, but the big one is first.

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big);
        (await small.WaitAsync(Wait)).Dispose();
    }

    [Fact]
    public async Task A_pause_holds_everyone_back()
    {
        var clock = new ManualTimeProvider();
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, null, 10), clock);
        limiter.PauseFor(TimeSpan.FromSeconds(2));

        var waiting = limiter.AcquireAsync(1, default).AsTask();
        clock.Advance(TimeSpan.FromSeconds(1.9));
        await Task.Delay(20);
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        (await waiting.WaitAsync(Wait)).Dispose();
    }
}
