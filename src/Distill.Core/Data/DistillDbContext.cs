using Distill.Core.Capture;
using Distill.Core.Datasets;
using Distill.Core.Diagnostics;
using Distill.Core.Jobs;
using Distill.Core.Projects;
using Distill.Core.Teachers;
using Microsoft.EntityFrameworkCore;

namespace Distill.Core.Data;

public sealed class DistillDbContext(DbContextOptions<DistillDbContext> options) : DbContext(options)
{
    public DbSet<Job> Jobs => Set<Job>();

    public DbSet<JobCheckpoint> JobCheckpoints => Set<JobCheckpoint>();

    public DbSet<DiagnosticStep> DiagnosticSteps => Set<DiagnosticStep>();

    public DbSet<Project> Projects => Set<Project>();

    public DbSet<Teacher> Teachers => Set<Teacher>();

    public DbSet<TeacherAnswerRecord> TeacherAnswers => Set<TeacherAnswerRecord>();

    public DbSet<Dataset> Datasets => Set<Dataset>();

    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();

    public DbSet<Example> Examples => Set<Example>();

    public DbSet<Upload> Uploads => Set<Upload>();

    public DbSet<DatasetImport> DatasetImports => Set<DatasetImport>();

    public DbSet<CapturedCompletion> CapturedCompletions => Set<CapturedCompletion>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DistillDbContext).Assembly);
}
