using Distill.Core;
using Distill.Core.Data;
using Distill.Core.Projects;
using Distill.Core.Teachers;
using Distill.ServiceDefaults.DataProtection;
using Distill.Teachers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Distill.Web.Teachers;

/// <summary>Creates, changes and deletes teachers for pages and the API alike; keys are encrypted before they are stored.</summary>
public sealed class TeacherCatalog(DistillDbContext db, TeacherKeyProtector keys, TeacherClientFactory clients)
{
    public async Task<IReadOnlyList<TeacherView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.Teachers.AsNoTracking().Where(t => t.ProjectId == Project.DefaultId).OrderBy(t => t.Name).ToListAsync(cancellationToken))
        .Select(TeacherView.From).ToArray();

    public async Task<TeacherView?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Teachers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is { } teacher ? TeacherView.From(teacher) : null;

    public async Task<TeacherSaveResult> CreateAsync(TeacherInput input, CancellationToken cancellationToken)
    {
        var now = DateTime.UtcNow;
        var teacher = new Teacher { Id = Guid.CreateVersion7(), ProjectId = Project.DefaultId, Name = "", Endpoint = "", Model = "", CreatedAt = now };
        return await SaveAsync(teacher, input, isNew: true, cancellationToken);
    }

    public async Task<TeacherSaveResult?> UpdateAsync(Guid id, TeacherInput input, CancellationToken cancellationToken) =>
        await db.Teachers.FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is { } teacher
            ? await SaveAsync(teacher, input, isNew: false, cancellationToken)
            : null;

    /// <summary>One tiny request to the teacher: it answers, or the one sentence that says what to fix. Null when there is no such teacher.</summary>
    public async Task<TeacherConnectionResult?> TestAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await db.Teachers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, cancellationToken) is not { } teacher)
        {
            return null;
        }

        try
        {
            using var client = clients.Create(teacher, keys.ApiKeyOf(teacher));
            return await TeacherConnectionTest.RunAsync(client, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            return new TeacherConnectionResult(false, TimeSpan.Zero, null, ex.Reason());
        }
    }

    /// <returns>Null when deleted; otherwise why it cannot be.</returns>
    public async Task<string?> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            var deleted = await db.Teachers.Where(t => t.Id == id).ExecuteDeleteAsync(cancellationToken);
            return deleted == 0 ? "There is no such teacher." : null;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return "This teacher has captured completions; they keep what was paid for, so the teacher cannot be deleted.";
        }
    }

    private async Task<TeacherSaveResult> SaveAsync(Teacher teacher, TeacherInput input, bool isNew, CancellationToken cancellationToken)
    {
        var errors = input.Validate(hasStoredKey: teacher.ProtectedApiKey is not null);
        if (errors.Count > 0)
        {
            return new TeacherSaveResult(null, errors);
        }

        teacher.Name = input.Name.Trim();
        teacher.Kind = input.Kind;
        teacher.Endpoint = input.Endpoint.Trim();
        teacher.Model = input.Model.Trim();
        teacher.ApiVersion = string.IsNullOrWhiteSpace(input.ApiVersion) ? null : input.ApiVersion.Trim();
        teacher.Auth = input.Auth;
        if (input.ApiKey is not null)
        {
            teacher.ProtectedApiKey = input.ApiKey.Length == 0 ? null : keys.Protect(input.ApiKey);
        }

        if (input.Auth != TeacherAuth.ApiKey)
        {
            teacher.ProtectedApiKey = null;
        }

        teacher.InputPricePerMillion = input.InputPricePerMillion;
        teacher.OutputPricePerMillion = input.OutputPricePerMillion;
        teacher.RequestsPerMinute = input.RequestsPerMinute;
        teacher.TokensPerMinute = input.TokensPerMinute;
        teacher.MaxConcurrency = input.MaxConcurrency;
        teacher.SupportsLogprobs = input.SupportsLogprobs;
        teacher.StoreCompletions = input.StoreCompletions;
        teacher.UpdatedAt = DateTime.UtcNow;
        if (isNew)
        {
            db.Teachers.Add(teacher);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return new TeacherSaveResult(null, new() { ["name"] = [$"A teacher named '{teacher.Name}' already exists."] });
        }

        return new TeacherSaveResult(TeacherView.From(teacher), []);
    }
}

public sealed record TeacherSaveResult(TeacherView? Teacher, Dictionary<string, string[]> Errors);
