namespace Distill.Teachers;

/// <summary>The outcome of <see cref="TeacherConnectionTest"/>: ok with the round trip, or the one-sentence reason it is not.</summary>
public sealed record TeacherConnectionResult(bool Ok, TimeSpan Latency, string? Model, string? Error, TeacherFailureKind? FailureKind = null);
