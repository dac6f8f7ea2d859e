namespace Distill.Teachers;

/// <summary>
/// A per-minute budget refilled continuously. A take larger than the whole capacity is allowed once the bucket is
/// full, driving it negative: the debt is paid back by the refill, so the long-run rate still holds. Not thread-safe;
/// <see cref="TeacherRateLimiter"/> locks around it.
/// </summary>
internal sealed class TokenBucket
{
    private readonly double _capacity;
    private readonly double _perTick;
    private double _balance;
    private long _updated;

    public TokenBucket(int perMinute, TimeSpan burst, long now, TimeProvider time)
    {
        _perTick = perMinute / 60.0 / time.TimestampFrequency;
        // At least one request's worth, however small the limit; at most the whole minute.
        _capacity = Math.Clamp(perMinute * burst.TotalMinutes, 1, perMinute);
        _balance = _capacity;
        _updated = now;
    }

    public double Balance => _balance;

    public bool CanTake(double amount, long now)
    {
        Refill(now);
        return _balance >= Math.Min(amount, _capacity);
    }

    public void Take(double amount) => _balance -= amount;

    /// <summary>Gives back (positive) or takes more (negative) once the real usage is known.</summary>
    public void Adjust(double amount, long now)
    {
        Refill(now);
        _balance = Math.Min(_capacity, _balance + amount);
    }

    /// <summary>Timestamp ticks until <see cref="CanTake"/> would be true.</summary>
    public long TicksUntil(double amount, long now)
    {
        Refill(now);
        var missing = Math.Min(amount, _capacity) - _balance;
        return missing <= 0 ? 0 : (long)Math.Ceiling(missing / _perTick);
    }

    private void Refill(long now)
    {
        if (now > _updated)
        {
            _balance = Math.Min(_capacity, _balance + (now - _updated) * _perTick);
            _updated = now;
        }
    }
}
