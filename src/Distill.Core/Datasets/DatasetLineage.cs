using Distill.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Distill.Core.Datasets;

/// <summary>One step of a version's history: which operation made it from which parent, with what, and what it changed.</summary>
public sealed record LineageStep(
    Guid VersionId, int Number, Guid? ParentId, string Operation, string Parameters, long? CountBefore, long CountAfter,
    string? Report, string? ContentHash, DatasetVersionStatus Status, DateTime CreatedAt);

public static class DatasetLineage
{
    /// <summary>The version and its ancestors, newest first.</summary>
    public static async Task<IReadOnlyList<LineageStep>> OfAsync(DistillDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        var steps = new List<LineageStep>();
        Guid? next = versionId;
        // Parents are older versions, so the chain ends; the bound only guards against a corrupted table.
        while (next is { } id && steps.Count < 1000)
        {
            var version = await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == id, cancellationToken);
            if (version is null)
            {
                break;
            }

            steps.Add(new LineageStep(
                version.Id, version.Number, version.ParentId, version.Operation, version.Parameters, version.CountBefore, version.CountAfter,
                version.Report, version.ContentHash, version.Status, version.CreatedAt));
            next = version.ParentId;
        }

        return steps;
    }
}
