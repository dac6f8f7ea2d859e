namespace Distill.Teachers;

/// <summary>One retry about to happen: after attempt <see cref="Attempt"/> failed, the next starts after <see cref="Delay"/>.</summary>
public sealed record TeacherRetry(int Attempt, TeacherFailure Failure, TimeSpan Delay);
