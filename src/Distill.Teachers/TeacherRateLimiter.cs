using Distill.Core.Teachers;

namespace Distill.Teachers;

/// <summary>
/// Keeps a teacher within its requests/minute, tokens/minute and concurrency. Token buckets pace the minute's
/// budget; a request reserves its estimate (prompt + max output) up front and settles with the real usage after.
/// First come, first served: one large request at the head waits rather than being overtaken by small ones.
/// Share one instance among everything that calls the same teacher deployment.
/// </summary>
public sealed class TeacherRateLimiter : IDisposable
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _queue = new();
    private readonly TimeProvider _time;
    private readonly TokenBucket? _requests;
    private readonly TokenBucket? _tokens;
    private readonly int _maxConcurrency;
    private ITimer? _timer;
    private int _inUse;
    private long _pausedUntil;

    public TeacherRateLimiter(TeacherRateLimits limits, TimeProvider? timeProvider = null)
    {
        Limits = limits;
        _time = timeProvider ?? TimeProvider.System;
        var now = _time.GetTimestamp();
        _requests = limits.RequestsPerMinute is > 0 and var rpm ? new TokenBucket(rpm, limits.Burst, now, _time) : null;
        _tokens = limits.TokensPerMinute is > 0 and var tpm ? new TokenBucket(tpm, limits.Burst, now, _time) : null;
        _maxConcurrency = Math.Max(1, limits.MaxConcurrency);
    }

    public TeacherRateLimits Limits { get; }

    /// <summary>Requests holding a lease now.</summary>
    public int InUse
    {
        get
        {
            lock (_lock)
            {
                return _inUse;
            }
        }
    }

    public static TeacherRateLimiter For(Teacher teacher, TimeProvider? timeProvider = null) => new(TeacherRateLimits.Of(teacher), timeProvider);

    /// <summary>Waits, in turn, until a request of about <paramref name="estimatedTokens"/> may start.</summary>
    public ValueTask<TeacherLease> AcquireAsync(long estimatedTokens, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var tokens = Math.Max(0, estimatedTokens);
        Waiter waiter;
        lock (_lock)
        {
            if (_queue.Count == 0 && TryTake(tokens, _time.GetTimestamp(), out _))
            {
                return ValueTask.FromResult(new TeacherLease(this, tokens));
            }

            waiter = new Waiter(tokens);
            waiter.Node = _queue.AddLast(waiter);
        }

        waiter.Registration = cancellationToken.UnsafeRegister(static (state, token) => ((TeacherRateLimiter)((object[])state!)[0]).Cancel((Waiter)((object[])state)[1], token), new object[] { this, waiter });
        Pump();
        return new ValueTask<TeacherLease>(waiter.Completion.Task);
    }

    /// <summary>Nobody starts for <paramref name="delay"/>: the service said it is overloaded (429 with Retry-After).</summary>
    public void PauseFor(TimeSpan delay)
    {
        lock (_lock)
        {
            var until = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            _pausedUntil = Math.Max(_pausedUntil, until);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    internal void Settle(long unusedTokens)
    {
        if (_tokens is null || unusedTokens == 0)
        {
            return;
        }

        lock (_lock)
        {
            _tokens.Adjust(unusedTokens, _time.GetTimestamp());
        }

        Pump();
    }

    internal void Release()
    {
        lock (_lock)
        {
            _inUse--;
        }

        Pump();
    }

    /// <summary>Grants leases from the head of the queue while it can; otherwise arms the timer for when it can.</summary>
    private void Pump()
    {
        List<Waiter>? granted = null;
        lock (_lock)
        {
            while (_queue.First is { } head)
            {
                if (!TryTake(head.Value.Tokens, _time.GetTimestamp(), out var waitTicks))
                {
                    // Blocked on concurrency alone: the next Release pumps. Blocked on time: wake up then.
                    if (waitTicks > 0)
                    {
                        _timer ??= _time.CreateTimer(static s => ((TeacherRateLimiter)s!).Pump(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                        _timer.Change(TimeSpan.FromSeconds(waitTicks / (double)_time.TimestampFrequency), Timeout.InfiniteTimeSpan);
                    }

                    break;
                }

                _queue.RemoveFirst();
                head.Value.Node = null;
                (granted ??= []).Add(head.Value);
            }
        }

        foreach (var waiter in granted ?? [])
        {
            // Not Dispose: it would wait for a running cancellation callback, which may be waiting for our lock.
            waiter.Registration.Unregister();
            waiter.Completion.TrySetResult(new TeacherLease(this, waiter.Tokens));
        }
    }

    private bool TryTake(long tokens, long now, out long waitTicks)
    {
        waitTicks = Math.Max(0, _pausedUntil - now);
        waitTicks = Math.Max(waitTicks, _requests?.TicksUntil(1, now) ?? 0);
        waitTicks = Math.Max(waitTicks, _tokens?.TicksUntil(tokens, now) ?? 0);
        if (_inUse >= _maxConcurrency)
        {
            // Time-based waits still matter once a slot frees up, but a release will pump then anyway.
            waitTicks = 0;
            return false;
        }

        if (waitTicks > 0)
        {
            return false;
        }

        _requests?.Take(1);
        _tokens?.Take(tokens);
        _inUse++;
        return true;
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return; // Already granted: the caller gets its lease.
            }

            _queue.Remove(waiter.Node);
            waiter.Node = null;
        }

        waiter.Completion.TrySetCanceled(token);
        Pump();
    }

    private sealed class Waiter(long tokens)
    {
        public long Tokens { get; } = tokens;

        public TaskCompletionSource<TeacherLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
