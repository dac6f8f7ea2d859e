using Distill.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Distill.Core.Jobs;

/// <summary>
/// The job state machine, as conditional updates: each transition names the state it expects, so two
/// processes racing for the same job cannot both win. Timestamps come from the database clock.
/// </summary>
public sealed class JobStore(DistillDbContext db)
{
    public async Task<Job> AddAsync(string kind, string payload, CancellationToken cancellationToken)
    {
        var job = new Job { Id = Guid.CreateVersion7(), Kind = kind, Payload = payload, Status = JobStatus.Queued };
        db.Jobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(job).State = EntityState.Detached;
        return job;
    }

    public Task<Job?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        db.Jobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, cancellationToken);

    public async Task<IReadOnlyList<Job>> ListRecentAsync(int count, CancellationToken cancellationToken) =>
        await db.Jobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(count).ToListAsync(cancellationToken);

    /// <summary>Takes a queued job for <paramref name="worker"/>; null when someone else has it or it is finished.</summary>
    public async Task<Job?> TryClaimAsync(Guid id, string worker, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        var claimed = await db.Jobs
            .Where(j => j.Id == id && j.Status == JobStatus.Queued && !j.CancelRequested)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Running)
                .SetProperty(j => j.Attempt, j => j.Attempt + 1)
                .SetProperty(j => j.ClaimToken, token)
                .SetProperty(j => j.ClaimedBy, worker)
                .SetProperty(j => j.Error, (string?)null)
                .SetProperty(j => j.StartedAt, DateTime.UtcNow)
                .SetProperty(j => j.HeartbeatAt, DateTime.UtcNow), cancellationToken);
        return claimed == 0
            ? null
            : await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id && j.ClaimToken == token, cancellationToken);
    }

    /// <summary>Proves the claim is alive. Lost means another process owns the job now: stop working on it.</summary>
    public async Task<Heartbeat> BeatAsync(Guid id, Guid claimToken, CancellationToken cancellationToken)
    {
        var alive = await Held(id, claimToken)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.HeartbeatAt, DateTime.UtcNow), cancellationToken);
        if (alive == 0)
        {
            return Heartbeat.Lost;
        }

        var cancel = await Held(id, claimToken).Select(j => j.CancelRequested).SingleOrDefaultAsync(cancellationToken);
        return cancel ? Heartbeat.CancelRequested : Heartbeat.Alive;
    }

    public async Task<bool> ReportProgressAsync(Guid id, Guid claimToken, double progress, string? message, CancellationToken cancellationToken) =>
        await Held(id, claimToken).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Progress, Math.Clamp(progress, 0, 1))
            .SetProperty(j => j.ProgressMessage, message)
            .SetProperty(j => j.HeartbeatAt, DateTime.UtcNow), cancellationToken) == 1;

    /// <summary>Moves a held job to its final state. True exactly once per job, for the holder of the live claim.</summary>
    public async Task<bool> FinishAsync(Guid id, Guid claimToken, JobStatus outcome, string? error, CancellationToken cancellationToken)
    {
        if (!outcome.IsFinished())
        {
            throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "A job can only finish as succeeded, failed or cancelled.");
        }

        var succeeded = outcome == JobStatus.Succeeded;
        return await Held(id, claimToken).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, outcome)
            .SetProperty(j => j.Error, error)
            .SetProperty(j => j.Progress, j => succeeded ? 1 : j.Progress)
            .SetProperty(j => j.CompletedAt, DateTime.UtcNow), cancellationToken) == 1;
    }

    /// <summary>Hands a held job back to the queue, as a process does when it shuts down mid-job.</summary>
    public async Task<bool> ReleaseAsync(Guid id, Guid claimToken, CancellationToken cancellationToken) =>
        await ReturnToQueueAsync(Held(id, claimToken), cancellationToken) == 1;

    /// <summary>Cancels a queued job at once, or asks the process running it to stop. False when it already finished.</summary>
    public async Task<bool> RequestCancelAsync(Guid id, CancellationToken cancellationToken)
    {
        var cancelledWhileQueued = await db.Jobs
            .Where(j => j.Id == id && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Cancelled)
                .SetProperty(j => j.CancelRequested, true)
                .SetProperty(j => j.CompletedAt, DateTime.UtcNow), cancellationToken);
        if (cancelledWhileQueued == 1)
        {
            return true;
        }

        return await db.Jobs
            .Where(j => j.Id == id && j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.CancelRequested, true), cancellationToken) == 1;
    }

    /// <summary>Queued jobs whose last nudge is older than <paramref name="age"/>, re-stamped so only one sweeper nudges each.</summary>
    public async Task<IReadOnlyList<Job>> TakeUnnudgedAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        var seconds = age.TotalSeconds;
        var candidates = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Queued && j.PublishedAt < DateTime.UtcNow.AddSeconds(-seconds))
            .OrderBy(j => j.CreatedAt).Take(100).ToListAsync(cancellationToken);
        var taken = new List<Job>();
        foreach (var job in candidates)
        {
            var restamped = await db.Jobs
                .Where(j => j.Id == job.Id && j.Status == JobStatus.Queued && j.PublishedAt == job.PublishedAt)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.PublishedAt, DateTime.UtcNow), cancellationToken);
            if (restamped == 1)
            {
                taken.Add(job);
            }
        }

        return taken;
    }

    /// <summary>
    /// Running jobs whose heartbeat is older than <paramref name="timeout"/>: queued again, or failed when they
    /// have used all their attempts.
    /// </summary>
    public async Task<IReadOnlyList<Job>> ReclaimAbandonedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seconds = timeout.TotalSeconds;
        var candidates = await db.Jobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Running && j.HeartbeatAt < DateTime.UtcNow.AddSeconds(-seconds))
            .OrderBy(j => j.HeartbeatAt).Take(100).ToListAsync(cancellationToken);
        var reclaimed = new List<Job>();
        foreach (var job in candidates)
        {
            var abandoned = db.Jobs.Where(j => j.Id == job.Id && j.Status == JobStatus.Running && j.ClaimToken == job.ClaimToken);
            var exhausted = job.Attempt >= job.MaxAttempts;
            var error = $"The process running this job ({job.ClaimedBy}) stopped responding on attempt {job.Attempt} of {job.MaxAttempts}.";
            var changed = exhausted
                ? await abandoned.ExecuteUpdateAsync(s => s
                    .SetProperty(j => j.Status, JobStatus.Failed)
                    .SetProperty(j => j.Error, error)
                    .SetProperty(j => j.CompletedAt, DateTime.UtcNow), cancellationToken)
                : await ReturnToQueueAsync(abandoned, cancellationToken);
            if (changed == 1)
            {
                job.Status = exhausted ? JobStatus.Failed : JobStatus.Queued;
                job.Error = exhausted ? error : null;
                reclaimed.Add(job);
            }
        }

        return reclaimed;
    }

    public Task<bool> HasCheckpointAsync(Guid id, string key, CancellationToken cancellationToken) =>
        db.JobCheckpoints.AnyAsync(c => c.JobId == id && c.Key == key, cancellationToken);

    /// <summary>Drops the claim and stamps the job as just nudged: the caller sends the nudge.</summary>
    private static Task<int> ReturnToQueueAsync(IQueryable<Job> jobs, CancellationToken cancellationToken) =>
        jobs.ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, JobStatus.Queued)
            .SetProperty(j => j.ClaimToken, (Guid?)null)
            .SetProperty(j => j.ClaimedBy, (string?)null)
            .SetProperty(j => j.PublishedAt, DateTime.UtcNow), cancellationToken);

    private IQueryable<Job> Held(Guid id, Guid claimToken) =>
        db.Jobs.Where(j => j.Id == id && j.Status == JobStatus.Running && j.ClaimToken == claimToken);
}

public enum Heartbeat
{
    Alive,
    CancelRequested,
    Lost,
}
