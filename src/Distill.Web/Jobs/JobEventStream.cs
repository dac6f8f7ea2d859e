namespace Distill.Web.Jobs;

/// <summary>A job changed; pages re-read it from the database, which stays the source of truth.</summary>
public sealed record JobChanged(Guid JobId, string Kind, string Event);

/// <summary>Fans job events out to the pages open in this process.</summary>
public sealed class JobEventStream
{
    public event Func<JobChanged, Task>? Changed;

    public async Task PublishAsync(JobChanged change)
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Func<JobChanged, Task>>() ?? [])
        {
            await handler(change);
        }
    }
}
