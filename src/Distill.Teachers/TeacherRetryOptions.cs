namespace Distill.Teachers;

public sealed record TeacherRetryOptions
{
    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The first backoff; each retry doubles it (with jitter) up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between attempts. A service's Retry-After is honoured exactly, but one longer than this
    /// ends the request instead: waiting minutes per example is a quota to fix, not a blip to ride out.
    /// </summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);
}
