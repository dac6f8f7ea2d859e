using Distill.Core.Curation;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Distill.Worker.Datasets;

/// <summary>
/// Builds a DatasetVersion for a job: one version per job (a resumed job finds its own), examples appended by
/// binary COPY, then the JSONL files, content hash and statistics, and only then Ready. A Ready version is never
/// written again.
/// </summary>
internal sealed class DatasetVersionWriter(DistillDbContext db, NpgsqlDataSource dataSource, DatasetVersionFiles files)
{
    private const string CopyCommand =
        "COPY examples (dataset_version_id, ordinal, split, messages, metadata, content_hash, prompt_tokens, completion_tokens, teacher_id, cost, logprobs, created_at) FROM STDIN (FORMAT BINARY)";

    /// <summary>The job's version, created on first call; a Building one left by a crash is emptied to be written again.</summary>
    public async Task<DatasetVersion> BeginAsync(
        Guid jobId, Guid datasetId, Guid? parentId, string operation, string parameters, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await db.DatasetVersions.AsNoTracking().FirstOrDefaultAsync(v => v.JobId == jobId, cancellationToken) is { } existing)
            {
                if (existing.Status == DatasetVersionStatus.Building)
                {
                    await db.Examples.Where(e => e.DatasetVersionId == existing.Id).ExecuteDeleteAsync(cancellationToken);
                }

                return existing;
            }

            var number = 1 + (await db.DatasetVersions.Where(v => v.DatasetId == datasetId).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0);
            var version = new DatasetVersion
            {
                Id = Guid.CreateVersion7(), DatasetId = datasetId, Number = number, ParentId = parentId, Operation = operation,
                Parameters = parameters, JobId = jobId, Status = DatasetVersionStatus.Building, CreatedAt = DateTime.UtcNow,
            };
            db.DatasetVersions.Add(version);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return version;
            }
            catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && attempt < 5)
            {
                // Another job took the same number at the same moment: take the next one.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>
    /// Appends examples with binary COPY, the fastest way into Postgres; returns how many were written. The COPY has
    /// a connection of its own, so the examples may be streamed out of the database while they are written.
    /// </summary>
    public async Task<long> AppendAsync(DatasetVersion version, IAsyncEnumerable<NewExample> examples, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);

        long written = 0;
        var now = DateTime.UtcNow;
        await using (var copy = await connection.BeginBinaryImportAsync(CopyCommand, cancellationToken))
        {
            await foreach (var example in examples.WithCancellation(cancellationToken))
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(version.Id, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(example.Ordinal, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(example.Split, NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(ExampleJson.Messages(example.Record.Messages), NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(ExampleJson.Metadata(example.Record.Metadata), NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(CanonicalJsonl.ContentHash(example.Record), NpgsqlDbType.Varchar, cancellationToken);
                await copy.WriteAsync(example.PromptTokens, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(example.CompletionTokens, NpgsqlDbType.Integer, cancellationToken);
                await WriteNullableAsync(copy, example.TeacherId, NpgsqlDbType.Uuid, cancellationToken);
                await WriteNullableAsync(copy, example.Cost, NpgsqlDbType.Numeric, cancellationToken);
                await WriteNullableAsync(copy, example.Logprobs, NpgsqlDbType.Jsonb, cancellationToken);
                await copy.WriteAsync(example.CreatedAt ?? now, NpgsqlDbType.TimestampTz, cancellationToken);
                written++;
            }

            await copy.CompleteAsync(cancellationToken);
        }

        return written;
    }

    /// <summary>Writes the files, hash and statistics, then marks the version Ready: from here on it never changes.</summary>
    public async Task<DatasetVersion> CompleteAsync(DatasetVersion version, long? countBefore, string? report, CancellationToken cancellationToken)
    {
        var (count, hash) = await files.MaterialiseAsync(version, cancellationToken);
        var statistics = await DatasetStatisticsQuery.ComputeAsync(db, version.Id, cancellationToken);
        await db.DatasetVersions
            .Where(v => v.Id == version.Id && v.Status == DatasetVersionStatus.Building)
            .ExecuteUpdateAsync(s => s
                .SetProperty(v => v.Status, DatasetVersionStatus.Ready)
                .SetProperty(v => v.CountBefore, countBefore)
                .SetProperty(v => v.CountAfter, count)
                .SetProperty(v => v.ContentHash, hash)
                .SetProperty(v => v.Report, report)
                .SetProperty(v => v.Statistics, statistics)
                .SetProperty(v => v.CompletedAt, DateTime.UtcNow), cancellationToken);
        return await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.Id == version.Id, cancellationToken);
    }

    /// <summary>A version that cannot be completed keeps no examples, only the reason.</summary>
    public async Task FailAsync(DatasetVersion version, string error, CancellationToken cancellationToken)
    {
        await db.Examples.Where(e => e.DatasetVersionId == version.Id).ExecuteDeleteAsync(cancellationToken);
        await db.DatasetVersions
            .Where(v => v.Id == version.Id && v.Status == DatasetVersionStatus.Building)
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Status, DatasetVersionStatus.Failed).SetProperty(v => v.Error, error)
                .SetProperty(v => v.CompletedAt, DateTime.UtcNow), cancellationToken);
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, type, cancellationToken);
}
