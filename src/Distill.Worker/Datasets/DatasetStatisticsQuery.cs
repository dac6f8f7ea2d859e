using System.Text.Json;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Microsoft.EntityFrameworkCore;

namespace Distill.Worker.Datasets;

/// <summary>Computes a version's statistics once, when it becomes Ready; versions never change, so neither do these.</summary>
internal static class DatasetStatisticsQuery
{
    private const int TopValuesPerKey = 20;

    public static async Task<string> ComputeAsync(DistillDbContext db, Guid versionId, CancellationToken cancellationToken)
    {
        var examples = db.Examples.AsNoTracking().Where(e => e.DatasetVersionId == versionId);
        var splits = await examples.GroupBy(e => e.Split)
            .Select(g => new { Split = g.Key, Count = g.LongCount(), Tokens = g.Sum(e => (long)e.PromptTokens + e.CompletionTokens), Cost = g.Sum(e => e.Cost ?? 0) })
            .ToListAsync(cancellationToken);

        // Power-of-two buckets: token lengths span four orders of magnitude, a linear histogram would hide most of them.
        var histogram = await db.Database.SqlQuery<TokenBucket>($"""
            SELECT floor(log(2, greatest(prompt_tokens + completion_tokens, 1)))::int AS "Bucket", count(*) AS "Count"
            FROM examples WHERE dataset_version_id = {versionId} GROUP BY 1 ORDER BY 1
            """).ToListAsync(cancellationToken);

        var values = await db.Database.SqlQuery<MetadataValueCount>($"""
            SELECT m.key AS "Key", m.value AS "Value", count(*) AS "Count"
            FROM examples e, jsonb_each_text(e.metadata) m
            WHERE e.dataset_version_id = {versionId} GROUP BY m.key, m.value
            """).ToListAsync(cancellationToken);

        var statistics = new DatasetStatistics(
            splits.Sum(s => s.Count),
            splits.ToDictionary(s => s.Split, s => s.Count),
            splits.Sum(s => s.Tokens),
            splits.Sum(s => s.Cost),
            histogram.Select(b => new TokenLengthBucket(b.Bucket == 0 ? 0 : 1L << b.Bucket, 1L << (b.Bucket + 1), b.Count)).ToArray(),
            values.GroupBy(v => v.Key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new MetadataKeyStatistics(
                g.Key, g.Count(), g.Sum(v => v.Count),
                g.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Take(TopValuesPerKey)
                    .Select(v => new MetadataValueStatistics(v.Value, v.Count)).ToArray())).ToArray());
        return JsonSerializer.Serialize(statistics, ExampleJson.Options);
    }

    private sealed record TokenBucket(int Bucket, long Count);

    private sealed record MetadataValueCount(string Key, string Value, long Count);
}
