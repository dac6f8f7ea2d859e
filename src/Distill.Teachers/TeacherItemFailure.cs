namespace Distill.Teachers;

/// <summary>An example the teacher could not answer, and the one-sentence reason.</summary>
public sealed record TeacherItemFailure(string Id, TeacherFailureKind Kind, int? Status, string Reason);
