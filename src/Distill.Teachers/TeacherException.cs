namespace Distill.Teachers;

/// <summary>
/// A teacher call that failed for good. The message is one sentence saying what to fix; there is deliberately no
/// inner exception, because the SDK's exception carries the service's raw error body, which may quote the key.
/// </summary>
public sealed class TeacherException(TeacherFailure failure, int attempts, string message) : Exception(message)
{
    public TeacherException(TeacherFailure failure, int attempts)
        : this(failure, attempts, failure.Retryable ? failure.GaveUp(attempts) : failure.Message)
    {
    }

    public TeacherFailure Failure { get; } = failure;

    public int Attempts { get; } = attempts;
}
