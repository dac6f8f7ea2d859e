using System.Globalization;

namespace Distill.Teachers;

/// <summary>A generation run answered too few of its examples; the message is the run's report.</summary>
public sealed class TeacherGenerationException(TeacherGenerationSummary summary, double minimumRatio)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"The teacher answered {summary.SuccessRatio * 100:0.0}% of the examples it was asked, below the required {minimumRatio * 100:0.#}%: {summary.Describe()}"))
{
    public TeacherGenerationSummary Summary { get; } = summary;
}
