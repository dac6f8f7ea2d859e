using Distill.Core.Diagnostics;
using Distill.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Distill.Core.Data;

public sealed class DistillDbContext(DbContextOptions<DistillDbContext> options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<JobCheckpoint> JobCheckpoints => Set<JobCheckpoint>();

    public DbSet<DiagnosticStep> DiagnosticSteps => Set<DiagnosticStep>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DistillDbContext).Assembly);
}
