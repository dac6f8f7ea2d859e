using Distill.Core.Data;
using Distill.Core.Jobs;
using Distill.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Datasets;

internal sealed class DatasetConfiguration :
    IEntityTypeConfiguration<Dataset>, IEntityTypeConfiguration<DatasetVersion>, IEntityTypeConfiguration<Example>,
    IEntityTypeConfiguration<Upload>, IEntityTypeConfiguration<DatasetImport>
{
    public void Configure(EntityTypeBuilder<Dataset> dataset)
    {
        dataset.ToTable("datasets");
        dataset.HasKey(d => d.Id);
        dataset.HasOne<Project>().WithMany().HasForeignKey(d => d.ProjectId).OnDelete(DeleteBehavior.Restrict);
        dataset.Property(d => d.Name).HasMaxLength(200);
        dataset.Property(d => d.Description).HasMaxLength(2000);
        dataset.HasIndex(d => new { d.ProjectId, d.Name }).IsUnique();
        dataset.Property(d => d.CreatedAt).HasDefaultValueSql("now()");
    }

    public void Configure(EntityTypeBuilder<DatasetVersion> version)
    {
        version.ToTable("dataset_versions");
        version.HasKey(v => v.Id);
        version.HasOne<Dataset>().WithMany().HasForeignKey(v => v.DatasetId).OnDelete(DeleteBehavior.Cascade);
        version.HasOne<DatasetVersion>().WithMany().HasForeignKey(v => v.ParentId).OnDelete(DeleteBehavior.Restrict);
        version.HasIndex(v => new { v.DatasetId, v.Number }).IsUnique();
        // One job builds one version: a redelivered or resumed job finds its version instead of making another.
        version.HasIndex(v => v.JobId).IsUnique();
        version.Property(v => v.Operation).HasMaxLength(32);
        version.Property(v => v.Parameters).HasColumnType("jsonb");
        version.Property(v => v.Report).HasColumnType("jsonb");
        version.Property(v => v.Statistics).HasColumnType("jsonb");
        version.Property(v => v.Status).AsLowerCaseName(16);
        version.Property(v => v.ContentHash).HasMaxLength(64);
        version.Property(v => v.CreatedAt).HasDefaultValueSql("now()");
    }

    public void Configure(EntityTypeBuilder<Example> example)
    {
        example.ToTable("examples");
        example.HasKey(e => e.Id);
        example.HasOne<DatasetVersion>().WithMany().HasForeignKey(e => e.DatasetVersionId).OnDelete(DeleteBehavior.Cascade);
        example.Property(e => e.Split).HasMaxLength(16);
        example.Property(e => e.Messages).HasColumnType("jsonb");
        example.Property(e => e.Metadata).HasColumnType("jsonb");
        example.Property(e => e.Logprobs).HasColumnType("jsonb");
        example.Property(e => e.ContentHash).HasMaxLength(64);
        example.Property(e => e.Cost).HasPrecision(18, 8);
        example.Property(e => e.CreatedAt).HasDefaultValueSql("now()");
        example.HasIndex(e => new { e.DatasetVersionId, e.Ordinal }).IsUnique();
        // The browse pane's most common narrowing: one split of a version, in order.
        example.HasIndex(e => new { e.DatasetVersionId, e.Split, e.Ordinal });
        example.HasIndex(e => e.Metadata).HasMethod("gin").HasOperators("jsonb_path_ops");
        // 'simple' does not stem: a search finds the words as typed, in any language.
        example.Property(e => e.SearchVector)
            .HasComputedColumnSql("""jsonb_to_tsvector('simple'::regconfig, messages, '["string"]'::jsonb)""", stored: true);
        example.HasIndex(e => e.SearchVector).HasMethod("gin");
    }

    public void Configure(EntityTypeBuilder<Upload> upload)
    {
        upload.ToTable("uploads");
        upload.HasKey(u => u.Id);
        upload.HasOne<Project>().WithMany().HasForeignKey(u => u.ProjectId).OnDelete(DeleteBehavior.Restrict);
        upload.Property(u => u.FileName).HasMaxLength(512);
        upload.Property(u => u.Sha256).HasMaxLength(64);
        upload.Ignore(u => u.BlobName);
        upload.Property(u => u.CreatedAt).HasDefaultValueSql("now()");
    }

    public void Configure(EntityTypeBuilder<DatasetImport> import)
    {
        import.ToTable("dataset_imports");
        import.HasKey(i => i.Id);
        import.HasOne<Job>().WithMany().HasForeignKey(i => i.Id).OnDelete(DeleteBehavior.Cascade);
        import.HasOne<Upload>().WithMany().HasForeignKey(i => i.UploadId).OnDelete(DeleteBehavior.Restrict);
        import.HasOne<Dataset>().WithMany().HasForeignKey(i => i.DatasetId).OnDelete(DeleteBehavior.Cascade);
        import.Property(i => i.Format).HasMaxLength(32);
        import.Property(i => i.ErrorMode).AsLowerCaseName(16);
        import.Property(i => i.FirstIssues).HasColumnType("jsonb");
        import.Property(i => i.CreatedAt).HasDefaultValueSql("now()");
    }
}
