using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Diagnostics;

/// <summary>
/// What one step of a diagnostic job left behind. Deliberately not unique by (job, step): a step done twice
/// shows up as two rows, which is how tests count side effects.
/// </summary>
public sealed class DiagnosticStep
{
    public long Id { get; init; }

    public Guid JobId { get; init; }

    public int Step { get; init; }

    public int Attempt { get; init; }

    public required string Worker { get; init; }

    public DateTime CompletedAt { get; init; }
}

/// <summary>Parameters of the diagnostic job that exercises Web, broker, Worker, Postgres, blobs and events.</summary>
public sealed record DiagnosticPayload(int Steps = 5, int StepMilliseconds = 200)
{
    public const int MaxSteps = 1000;
}

internal sealed class DiagnosticStepConfiguration : IEntityTypeConfiguration<DiagnosticStep>
{
    public void Configure(EntityTypeBuilder<DiagnosticStep> step)
    {
        step.ToTable("diagnostic_steps");
        step.HasKey(s => s.Id);
        step.Property(s => s.Worker).HasMaxLength(256);
        step.HasIndex(s => new { s.JobId, s.Step });
    }
}

public static class DiagnosticPayloadRules
{
    /// <summary>Field errors by JSON name, empty when the payload is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(DiagnosticPayload payload)
    {
        var errors = new Dictionary<string, string[]>();
        if (payload.Steps is < 1 or > DiagnosticPayload.MaxSteps)
        {
            errors["steps"] = [$"must be between 1 and {DiagnosticPayload.MaxSteps}, not {payload.Steps}"];
        }

        if (payload.StepMilliseconds is < 0 or > 60_000)
        {
            errors["stepMilliseconds"] = [$"must be between 0 and 60000, not {payload.StepMilliseconds}"];
        }

        return errors;
    }
}
