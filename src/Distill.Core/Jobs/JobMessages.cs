namespace Distill.Core.Jobs;

/// <summary>Command: look at job <paramref name="JobId"/> and run it if it is still queued.</summary>
public sealed record RunJob(Guid JobId, string Kind);

public sealed record JobQueued(Guid JobId, string Kind);

public sealed record JobStarted(Guid JobId, string Kind, int Attempt, string Worker);

public sealed record JobProgressed(Guid JobId, string Kind, double Progress, string? Message);

public sealed record JobCompleted(Guid JobId, string Kind);

public sealed record JobFailed(Guid JobId, string Kind, string Error);

public sealed record JobCancelled(Guid JobId, string Kind);
