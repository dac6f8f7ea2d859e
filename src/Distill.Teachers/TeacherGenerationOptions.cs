namespace Distill.Teachers;

public sealed record TeacherGenerationOptions
{
    public TeacherRetryOptions Retry { get; init; } = new();

    /// <summary>The limiter to share with other runs against the same teacher; null makes one for this run from the teacher's limits.</summary>
    public TeacherRateLimiter? RateLimiter { get; init; }

    /// <summary>Output tokens reserved against tokens/minute for requests that set no maximum.</summary>
    public int AssumedOutputTokens { get; init; } = 1024;

    /// <summary>
    /// After cancellation, how long requests already sent may still finish. Their answers are paid for whether we
    /// wait or not, so waiting a little and recording them is cheaper than asking again later.
    /// </summary>
    public TimeSpan CancellationGrace { get; init; } = TimeSpan.FromSeconds(30);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Called just before each request is sent (every attempt). The caller records that the example is in flight,
    /// so after a crash it knows which answers the service may have kept and can look them up instead of paying again.
    /// </summary>
    public Func<TeacherWorkItem, CancellationToken, ValueTask>? Sending { get; init; }
}
