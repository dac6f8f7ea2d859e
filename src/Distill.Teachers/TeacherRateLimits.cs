using Distill.Core.Teachers;

namespace Distill.Teachers;

/// <summary>How hard a teacher may be driven; null limits are not enforced.</summary>
public sealed record TeacherRateLimits(int? RequestsPerMinute, int? TokensPerMinute, int MaxConcurrency)
{
    /// <summary>
    /// How much of a minute's budget may go at once. Small, so requests are paced evenly through the minute rather
    /// than spent in a burst the service's shorter enforcement windows (Azure checks every 1–10 s) would reject.
    /// </summary>
    public TimeSpan Burst { get; init; } = TimeSpan.FromSeconds(1);

    public static TeacherRateLimits Of(Teacher teacher) => new(teacher.RequestsPerMinute, teacher.TokensPerMinute, teacher.MaxConcurrency);
}
