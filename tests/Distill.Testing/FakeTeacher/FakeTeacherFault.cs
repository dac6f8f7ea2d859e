namespace Distill.Testing.FakeTeacher;

/// <summary>
/// What the fake teacher does to one chat completion request instead of answering it normally. TEST FIXTURE.
/// Header values are raw strings so tests can send either form of <c>Retry-After</c> (seconds or an HTTP date).
/// </summary>
public sealed record FakeTeacherFault
{
    public int Status { get; init; } = 500;

    public string? Message { get; init; }

    /// <summary>The <c>Retry-After</c> header, as sent.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>The <c>retry-after-ms</c> header Azure OpenAI adds, as sent.</summary>
    public string? RetryAfterMs { get; init; }

    /// <summary>Answer and store the completion, then drop the connection: the service was paid but the caller never heard.</summary>
    public bool DropAfterStoring { get; init; }

    public static FakeTeacherFault RateLimited(int retryAfterSeconds) =>
        new() { Status = 429, RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static FakeTeacherFault RateLimitedMs(int retryAfterMilliseconds) =>
        new() { Status = 429, RetryAfterMs = retryAfterMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public static FakeTeacherFault ServerError(int status = 500) => new() { Status = status };

    public static FakeTeacherFault Rejected(int status, string message) => new() { Status = status, Message = message };

    public static FakeTeacherFault Dropped() => new() { Status = 200, DropAfterStoring = true };
}
