namespace Distill.Core.Jobs;

/// <summary>Timing of the job backbone, bound from the <c>Jobs</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How often a running job proves its process is alive.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A running job silent for this long is taken back and queued again.</summary>
    public TimeSpan HeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the sweeper looks for lost nudges and dead workers.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A job still queued this long after its last nudge is nudged again.</summary>
    public TimeSpan RepublishAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many jobs one process runs at once.</summary>
    public int Concurrency { get; set; } = 2;
}
