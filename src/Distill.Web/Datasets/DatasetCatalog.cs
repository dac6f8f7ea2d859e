using System.Text.Json;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Distill.Web.Datasets;

/// <summary>Datasets, their versions and examples, for pages and the API alike.</summary>
public sealed class DatasetCatalog(DistillDbContext db)
{
    public async Task<IReadOnlyList<DatasetSummary>> ListAsync(CancellationToken cancellationToken)
    {
        var datasets = await db.Datasets.AsNoTracking().Where(d => d.ProjectId == Project.DefaultId).OrderBy(d => d.Name).ToListAsync(cancellationToken);
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => datasets.Select(d => d.Id).Contains(v.DatasetId)).ToListAsync(cancellationToken);
        return datasets.Select(d =>
        {
            var own = versions.Where(v => v.DatasetId == d.Id).OrderByDescending(v => v.Number).ToArray();
            return new DatasetSummary(d.Id, d.Name, d.Description, d.CreatedAt, own.Length, own.FirstOrDefault() is { } latest ? VersionView.From(latest) : null);
        }).ToArray();
    }

    public async Task<DatasetSummary?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(d => d.Id == id);

    public async Task<(DatasetSummary? Dataset, Dictionary<string, string[]> Errors)> CreateAsync(DatasetInput input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            return (null, new() { ["name"] = ["A dataset needs a name of 1 to 200 characters."] });
        }

        var dataset = new Dataset { Id = Guid.CreateVersion7(), ProjectId = Project.DefaultId, Name = input.Name.Trim(), Description = input.Description?.Trim(), CreatedAt = DateTime.UtcNow };
        db.Datasets.Add(dataset);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            return (null, new() { ["name"] = [$"A dataset named '{dataset.Name}' already exists."] });
        }

        return (new DatasetSummary(dataset.Id, dataset.Name, dataset.Description, dataset.CreatedAt, 0, null), []);
    }

    public async Task<IReadOnlyList<VersionView>> VersionsAsync(Guid datasetId, CancellationToken cancellationToken) =>
        (await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId).OrderByDescending(v => v.Number).ToListAsync(cancellationToken))
        .Select(VersionView.From).ToArray();

    public async Task<DatasetVersion?> VersionAsync(Guid versionId, CancellationToken cancellationToken) =>
        await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken);

    public Task<IReadOnlyList<LineageStep>> LineageAsync(Guid versionId, CancellationToken cancellationToken) =>
        DatasetLineage.OfAsync(db, versionId, cancellationToken);

    public Task<ExamplePage> ExamplesAsync(Guid versionId, ExampleFilter filter, int offset, int pageSize, CancellationToken cancellationToken) =>
        ExampleQuery.PageAsync(db, versionId, filter, offset, pageSize, cancellationToken);

    public async Task<ExampleDetail?> ExampleAsync(long exampleId, CancellationToken cancellationToken)
    {
        if (await db.Examples.AsNoTracking().FirstOrDefaultAsync(e => e.Id == exampleId, cancellationToken) is not { } e)
        {
            return null;
        }

        return new ExampleDetail(
            e.Id, e.DatasetVersionId, e.Ordinal, e.Split, ExampleJson.Read(e.Messages, e.Metadata), e.ContentHash, e.PromptTokens, e.CompletionTokens,
            e.TeacherId, e.Cost, e.Logprobs, e.CreatedAt, await DatasetLineage.OfAsync(db, e.DatasetVersionId, cancellationToken));
    }

    /// <summary>What an import did with every line; the id is the import job's.</summary>
    public Task<DatasetImport?> ImportAsync(Guid id, CancellationToken cancellationToken) =>
        db.DatasetImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);

    public static DatasetStatistics? Statistics(DatasetVersion version) =>
        version.Statistics is null ? null : JsonSerializer.Deserialize<DatasetStatistics>(version.Statistics, ExampleJson.Options);
}
