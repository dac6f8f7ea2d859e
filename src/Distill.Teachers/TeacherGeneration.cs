using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Distill.Teachers;

/// <summary>
/// Asks a teacher about many examples at once, as fast as its limits allow: at most its concurrency in flight,
/// within requests/tokens per minute, each request retried by <see cref="TeacherRetryPolicy"/>. Each answer is
/// handed to <c>record</c> as soon as it arrives, so the caller can commit it before anything else can go wrong;
/// that, plus the caller leaving out examples already answered, is what makes a rerun never pay twice.
/// </summary>
public sealed partial class TeacherGeneration(TeacherClient client, TeacherGenerationOptions? options = null, ILogger<TeacherGeneration>? logger = null)
{
    private readonly TeacherGenerationOptions _options = options ?? new TeacherGenerationOptions();
    private readonly ILogger _logger = logger ?? NullLogger<TeacherGeneration>.Instance;

    /// <summary>
    /// Runs <paramref name="items"/>. <paramref name="record"/> is called concurrently, once per answered item; if it
    /// (or anything else unexpected) throws, no new requests start and the exception is rethrown once those in flight are done. Cancelling
    /// <paramref name="cancellationToken"/> stops new requests and retries; requests in flight get
    /// <see cref="TeacherGenerationOptions.CancellationGrace"/> to finish and be recorded, then are cancelled.
    /// Cancellation returns the summary (with <see cref="TeacherGenerationSummary.Cancelled"/>) rather than throwing.
    /// </summary>
    public async Task<TeacherGenerationSummary> RunAsync(
        IReadOnlyList<TeacherWorkItem> items,
        Func<TeacherWorkItem, TeacherAnswer, CancellationToken, ValueTask> record,
        IProgress<TeacherGenerationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var teacher = client.Teacher;
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        var limiter = _options.RateLimiter ?? TeacherRateLimiter.For(teacher, time);
        var retry = TeacherRetryPolicy.For(teacher, _options.Retry, time);
        var totals = new TeacherGenerationTotals(items.Count);
        ExceptionDispatchInfo? failure = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using (stop.Token.Register(() => abort.CancelAfter(_options.CancellationGrace)))
        {
            var next = -1;
            var workers = Math.Clamp(limiter.Limits.MaxConcurrency, 1, Math.Max(1, items.Count));
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync, CancellationToken.None)));

            async Task WorkAsync()
            {
                int index;
                while (!stop.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < items.Count)
                {
                    try
                    {
                        await RunItemAsync(items[index]);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                    {
                        // Mostly the caller failing to record an answer: asking further would pay for answers it cannot keep.
                        Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                        LogRunFailed(e, teacher.Name, items[index].Id);
                        await stop.CancelAsync();
                    }
                }
            }
        }

        if (_options.RateLimiter is null)
        {
            limiter.Dispose();
        }

        var summary = totals.Summary(cancellationToken.IsCancellationRequested, time.GetElapsedTime(started));
        LogFinished(teacher.Name, summary.Answered, summary.Failed, summary.NotRun, summary.Requests, summary.Cost);
        failure?.Throw();
        return summary;

        async Task RunItemAsync(TeacherWorkItem item)
        {
            var estimate = TokenEstimate.Of(item.Request, _options.AssumedOutputTokens);
            TeacherAnswer answer;
            try
            {
                answer = await retry.ExecuteAsync(
                    async (_, token) =>
                    {
                        using var lease = await limiter.AcquireAsync(estimate, token);
                        if (_options.Sending is { } sending)
                        {
                            await sending(item, token);
                        }

                        totals.Requested();
                        // Once sent, a request runs on past a stop (the answer is being paid for) until the grace ends.
                        var result = await client.AskAsync(item.Request, abort.Token);
                        lease.Settle(result.InputTokens + result.OutputTokens);
                        return result;
                    },
                    stop.Token,
                    retrying =>
                    {
                        totals.Retried();
                        if (retrying.Failure is { Kind: TeacherFailureKind.RateLimited, RetryAfter: { } wait })
                        {
                            // Everyone waits, not only this request: the next ones would be refused just the same.
                            limiter.PauseFor(wait);
                        }

                        LogRetrying(teacher.Name, item.Id, retrying.Attempt, retrying.Failure.Kind, retrying.Failure.Status, (long)retrying.Delay.TotalMilliseconds);
                    });
            }
            catch (TeacherException e)
            {
                LogItemFailed(teacher.Name, item.Id, e.Attempts, e.Message);
                var failed = totals.Failed(new TeacherItemFailure(item.Id, e.Failure.Kind, e.Failure.Status, e.Message));
                progress?.Report(failed);
                return;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await record(item, answer, abort.Token);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                return;
            }

            var answered = totals.Answered(answer);
            progress?.Report(answered);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Teacher {Teacher}: attempt {Attempt} for {ItemId} failed ({Kind} {Status}); retrying in {DelayMs} ms")]
    private partial void LogRetrying(string teacher, string itemId, int attempt, TeacherFailureKind kind, int? status, long delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Teacher {Teacher} could not answer {ItemId} ({Attempts} attempts): {Reason}")]
    private partial void LogItemFailed(string teacher, string itemId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Teacher {Teacher}: asking about or recording {ItemId} failed unexpectedly; no new requests start")]
    private partial void LogRunFailed(Exception exception, string teacher, string itemId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Teacher {Teacher}: {Answered} answered, {Failed} failed, {NotRun} not run; {Requests} requests costing {Cost}")]
    private partial void LogFinished(string teacher, int answered, int failed, int notRun, long requests, decimal cost);
}
