using Distill.Core.Teachers;

namespace Distill.Teachers;

/// <summary>
/// Retries what is worth retrying (429, 500/502/503/504, timeouts, broken connections) with exponential backoff
/// and jitter, honouring the service's Retry-After; fails at once, with a message saying what to fix, on what is
/// not (400, 401, 403, 404). The SDKs' own retries are off (see <see cref="TeacherClientFactory"/>): this owns them.
/// </summary>
public sealed class TeacherRetryPolicy(TeacherRetryOptions? options = null, TimeProvider? timeProvider = null, TeacherAuth auth = TeacherAuth.ApiKey)
{
    private readonly TeacherRetryOptions _options = options ?? new TeacherRetryOptions();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public TeacherRetryOptions Options => _options;

    public static TeacherRetryPolicy For(Teacher teacher, TeacherRetryOptions? options = null, TimeProvider? timeProvider = null) =>
        new(options, timeProvider, teacher.Auth);

    /// <summary>
    /// Runs <paramref name="operation"/> (given the attempt number, from 1) until it succeeds, fails for good
    /// (<see cref="TeacherException"/>) or <paramref name="cancellationToken"/> is cancelled. Exceptions that are not
    /// about the call (bugs) propagate unchanged.
    /// </summary>
    public async Task<T> ExecuteAsync<T>(Func<int, CancellationToken, Task<T>> operation, CancellationToken cancellationToken, Action<TeacherRetry>? onRetry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            TeacherFailure failure;
            try
            {
                return await operation(attempt, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (TeacherFailure.Classify(e, auth, _time.GetUtcNow()) is { } classified)
            {
                failure = classified;
            }

            if (!failure.Retryable)
            {
                throw new TeacherException(failure, attempt);
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw new TeacherException(failure, attempt);
            }

            if (failure.RetryAfter > _options.MaxDelay)
            {
                throw new TeacherException(failure, attempt,
                    $"The teacher asked us to wait {failure.RetryAfter.Value.TotalSeconds:0.#} s ({failure.Status}), longer than the {_options.MaxDelay.TotalSeconds:0.#} s we wait: lower the teacher's requests or tokens per minute, or raise its quota.");
            }

            var delay = DelayAfter(attempt, failure);
            onRetry?.Invoke(new TeacherRetry(attempt, failure, delay));
            await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>
    /// Retry-After as given (plus up to 10% so a crowd of waiters does not return in one instant); otherwise
    /// BaseDelay·2^(attempt-1) capped at MaxDelay, of which a random 50–100% ("equal jitter").
    /// </summary>
    internal TimeSpan DelayAfter(int attempt, TeacherFailure failure)
    {
        if (failure.RetryAfter is { } retryAfter)
        {
            return retryAfter + retryAfter * (0.1 * Random.Shared.NextDouble());
        }

        var exponential = _options.BaseDelay * Math.Pow(2, Math.Min(attempt - 1, 30));
        var capped = exponential < _options.MaxDelay ? exponential : _options.MaxDelay;
        return capped * (0.5 + 0.5 * Random.Shared.NextDouble());
    }
}
