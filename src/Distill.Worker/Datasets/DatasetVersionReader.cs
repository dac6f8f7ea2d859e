using Distill.Core.Data;
using Distill.Core.Datasets;
using Microsoft.EntityFrameworkCore;

namespace Distill.Worker.Datasets;

/// <summary>An example read back from a Ready version, with its parsed content.</summary>
internal sealed record StoredExample(
    long Id, long Ordinal, string Split, ExampleRecord Record, int PromptTokens, int CompletionTokens,
    Guid? TeacherId, decimal? Cost, string? Logprobs, DateTime CreatedAt)
{
    /// <summary>The same example carried into a new version, optionally with new content or split.</summary>
    public NewExample Carry(ExampleRecord? record = null, string? split = null, long? ordinal = null) =>
        new(ordinal ?? Ordinal, split ?? Split, record ?? Record, PromptTokens, CompletionTokens, TeacherId, Cost, Logprobs, CreatedAt);
}

internal sealed class DatasetVersionReader(DistillDbContext db)
{
    /// <summary>Streams a version split by split, each in ordinal order: the order files and hashes use.</summary>
    public async IAsyncEnumerable<StoredExample> ReadAsync(
        Guid versionId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var split in DatasetSplits.All)
        {
            var rows = db.Examples.AsNoTracking()
                .Where(e => e.DatasetVersionId == versionId && e.Split == split)
                .OrderBy(e => e.Ordinal)
                .Select(e => new { e.Id, e.Ordinal, e.Split, e.Messages, e.Metadata, e.PromptTokens, e.CompletionTokens, e.TeacherId, e.Cost, e.Logprobs, e.CreatedAt })
                .AsAsyncEnumerable();
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                yield return new StoredExample(
                    row.Id, row.Ordinal, row.Split, ExampleJson.Read(row.Messages, row.Metadata), row.PromptTokens, row.CompletionTokens,
                    row.TeacherId, row.Cost, row.Logprobs, row.CreatedAt);
            }
        }
    }

    public async Task<DatasetVersion> ReadyVersionAsync(Guid versionId, CancellationToken cancellationToken) =>
        await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.Id == versionId, cancellationToken) switch
        {
            null => throw new InvalidOperationException($"Dataset version {versionId} does not exist."),
            { Status: not DatasetVersionStatus.Ready } v => throw new InvalidOperationException($"Dataset version {v.Number} is {v.Status.ToString().ToLowerInvariant()}, not ready; only ready versions can be used."),
            var v => v,
        };
}
