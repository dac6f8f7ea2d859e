using System.Globalization;
using System.Text;

namespace Distill.Teachers;

/// <summary>How a generation run went. Items neither answered nor failed (<see cref="NotRun"/>) were cancelled before an answer arrived.</summary>
public sealed record TeacherGenerationSummary(
    int Total,
    int Answered,
    int Failed,
    bool Cancelled,
    long Requests,
    int Retries,
    long InputTokens,
    long OutputTokens,
    decimal Cost,
    TimeSpan Elapsed,
    IReadOnlyList<TeacherItemFailure> Failures)
{
    public int NotRun => Total - Answered - Failed;

    /// <summary>Failures grouped by reason, most frequent first.</summary>
    public IReadOnlyList<(string Reason, int Count)> FailureReasons =>
        Failures.GroupBy(f => f.Reason).Select(g => (g.Key, g.Count())).OrderByDescending(g => g.Item2).ToList();

    /// <summary>Answered over attempted; items never run do not count against it.</summary>
    public double SuccessRatio => Answered + Failed == 0 ? 1 : Answered / (double)(Answered + Failed);

    public bool MeetsSuccessRatio(double minimum) => SuccessRatio >= minimum;

    /// <summary>Throws <see cref="TeacherGenerationException"/> with <see cref="Describe"/> when fewer than <paramref name="minimum"/> of the attempted items were answered.</summary>
    public void EnsureSuccessRatio(double minimum)
    {
        if (!MeetsSuccessRatio(minimum))
        {
            throw new TeacherGenerationException(this, minimum);
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Answered} of {Total} answered, {Failed} failed");
        if (NotRun > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $", {NotRun} not run{(Cancelled ? " (cancelled)" : "")}");
        }

        text.Append(CultureInfo.InvariantCulture, $"; {Requests} requests ({Retries} retries), {InputTokens} input and {OutputTokens} output tokens, cost {Cost:0.######} in {Elapsed.TotalSeconds:0.#} s.");
        foreach (var (reason, count) in FailureReasons)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{count}× {reason}");
        }

        return text.ToString();
    }
}
