namespace Distill.Teachers;

/// <summary>One example to ask the teacher about; <see cref="Id"/> is the caller's key for recording the answer.</summary>
public sealed record TeacherWorkItem(string Id, TeacherRequest Request);
