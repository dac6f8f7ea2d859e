namespace Distill.Teachers;

/// <summary>
/// Permission for one request: a concurrency slot (returned on dispose) and a token reservation. Settle the
/// reservation with the real usage when it is known; an unsettled one stands, since a failed request may still
/// have been counted by the service.
/// </summary>
public sealed class TeacherLease : IDisposable
{
    private readonly TeacherRateLimiter _limiter;
    private int _settled;
    private int _disposed;

    internal TeacherLease(TeacherRateLimiter limiter, long reservedTokens)
    {
        _limiter = limiter;
        ReservedTokens = reservedTokens;
    }

    public long ReservedTokens { get; }

    public void Settle(long actualTokens)
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            _limiter.Settle(ReservedTokens - actualTokens);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _limiter.Release();
        }
    }
}
