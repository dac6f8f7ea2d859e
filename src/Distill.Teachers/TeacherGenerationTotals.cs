namespace Distill.Teachers;

/// <summary>The running totals of one generation run, updated by its workers concurrently.</summary>
internal sealed class TeacherGenerationTotals(int total)
{
    private readonly object _lock = new();
    private readonly List<TeacherItemFailure> _failures = [];
    private int _answered;
    private long _requests;
    private int _retries;
    private long _inputTokens;
    private long _outputTokens;
    private decimal _cost;

    public void Requested() => Interlocked.Increment(ref _requests);

    public void Retried() => Interlocked.Increment(ref _retries);

    public TeacherGenerationProgress Answered(TeacherAnswer answer)
    {
        lock (_lock)
        {
            _answered++;
            _inputTokens += answer.InputTokens;
            _outputTokens += answer.OutputTokens;
            _cost += answer.Cost;
            return Snapshot();
        }
    }

    public TeacherGenerationProgress Failed(TeacherItemFailure failure)
    {
        lock (_lock)
        {
            _failures.Add(failure);
            return Snapshot();
        }
    }

    public TeacherGenerationSummary Summary(bool cancelled, TimeSpan elapsed)
    {
        lock (_lock)
        {
            return new TeacherGenerationSummary(total, _answered, _failures.Count, cancelled, Interlocked.Read(ref _requests), Volatile.Read(ref _retries),
                _inputTokens, _outputTokens, _cost, elapsed, _failures.ToList());
        }
    }

    private TeacherGenerationProgress Snapshot() =>
        new(total, _answered, _failures.Count, Interlocked.Read(ref _requests), Volatile.Read(ref _retries), _inputTokens, _outputTokens, _cost);
}
