using Distill.Core.Data;
using Distill.Core.Jobs;
using Distill.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Distill.Core.Teachers;

internal sealed class TeacherConfiguration : IEntityTypeConfiguration<Teacher>, IEntityTypeConfiguration<TeacherAnswerRecord>
{
    public void Configure(EntityTypeBuilder<Teacher> teacher)
    {
        teacher.ToTable("teachers");
        teacher.HasKey(t => t.Id);
        teacher.HasOne<Project>().WithMany().HasForeignKey(t => t.ProjectId).OnDelete(DeleteBehavior.Restrict);
        teacher.Property(t => t.Name).HasMaxLength(200);
        teacher.HasIndex(t => new { t.ProjectId, t.Name }).IsUnique();
        teacher.Property(t => t.Kind).AsLowerCaseName();
        teacher.Property(t => t.Auth).AsLowerCaseName();
        teacher.Property(t => t.Endpoint).HasMaxLength(2048);
        teacher.Property(t => t.Model).HasMaxLength(256);
        teacher.Property(t => t.ApiVersion).HasMaxLength(64);
        teacher.Property(t => t.InputPricePerMillion).HasPrecision(18, 6);
        teacher.Property(t => t.OutputPricePerMillion).HasPrecision(18, 6);
        teacher.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
    }

    public void Configure(EntityTypeBuilder<TeacherAnswerRecord> answer)
    {
        answer.ToTable("teacher_answers");
        answer.HasKey(a => new { a.JobId, a.SourceExampleId });
        answer.HasOne<Job>().WithMany().HasForeignKey(a => a.JobId).OnDelete(DeleteBehavior.Cascade);
        answer.Property(a => a.Status).AsLowerCaseName(16);
        answer.Property(a => a.Cost).HasPrecision(18, 8);
        answer.Property(a => a.Logprobs).HasColumnType("jsonb");
        answer.HasIndex(a => new { a.JobId, a.Status });
    }
}
