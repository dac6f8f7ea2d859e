using System.Text.Json;
using Distill.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Distill.Core.Datasets;

/// <summary>One row of the browse grid: enough to recognise an example, not the whole of it.</summary>
public sealed record ExampleRow(
    long Id, long Ordinal, string Split, string Prompt, string? Completion, int PromptTokens, int CompletionTokens, decimal? Cost,
    IReadOnlyDictionary<string, string> Metadata);

/// <param name="Total">Matching examples, counted up to <see cref="ExampleQuery.CountCap"/>.</param>
/// <param name="TotalIsExact">False when there are more than the cap: counting a million matches would cost more than the page.</param>
public sealed record ExamplePage(IReadOnlyList<ExampleRow> Rows, long Total, bool TotalIsExact);

/// <summary>
/// The browse pane's query, served by indexes at any size: (version, ordinal) for order and paging, GIN on the
/// search vector for words, GIN jsonb_path_ops for metadata containment.
/// </summary>
public static class ExampleQuery
{
    // Counting every match of a common word among a million examples costs more than the page; past a thousand,
    // "more than 1,000" is all a person browsing needs.
    public const int CountCap = 1_000;
    public const int MaxPageSize = 200;
    private const int PreviewLength = 280;

    public static IQueryable<Example> Matching(DistillDbContext db, Guid versionId, ExampleFilter filter)
    {
        var query = db.Examples.AsNoTracking().Where(e => e.DatasetVersionId == versionId);
        if (filter.Split is { Length: > 0 } split)
        {
            query = query.Where(e => e.Split == split);
        }

        if (filter.TsQuery() is { } tsQuery)
        {
            query = query.Where(e => e.SearchVector!.Matches(EF.Functions.ToTsQuery("simple", tsQuery)));
        }

        if (filter.Metadata is { Count: > 0 } metadata)
        {
            var contained = JsonSerializer.Serialize(metadata);
            query = query.Where(e => EF.Functions.JsonContains(e.Metadata, contained));
        }

        if (filter.MinTokens is { } min)
        {
            query = query.Where(e => e.PromptTokens + e.CompletionTokens >= min);
        }

        if (filter.MaxTokens is { } max)
        {
            query = query.Where(e => e.PromptTokens + e.CompletionTokens <= max);
        }

        return query;
    }

    public static async Task<ExamplePage> PageAsync(
        DistillDbContext db, Guid versionId, ExampleFilter filter, int offset, int pageSize, CancellationToken cancellationToken)
    {
        var query = Matching(db, versionId, filter);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var rows = await query.OrderBy(e => e.Ordinal).Skip(Math.Max(0, offset)).Take(pageSize)
            .Select(e => new { e.Id, e.Ordinal, e.Split, e.Messages, e.Metadata, e.PromptTokens, e.CompletionTokens, e.Cost })
            .ToListAsync(cancellationToken);
        // A first page with room to spare already is the whole answer.
        var total = offset <= 0 && rows.Count < pageSize ? rows.Count : await query.Take(CountCap + 1).CountAsync(cancellationToken);
        return new ExamplePage(
            rows.Select(r =>
            {
                var record = ExampleJson.Read(r.Messages, r.Metadata);
                var prompt = record.Prompt.LastOrDefault(m => m.Role == ExampleMessage.User)?.Content ?? record.Prompt.LastOrDefault()?.Content ?? "";
                return new ExampleRow(r.Id, r.Ordinal, r.Split, Preview(prompt)!, Preview(record.Completion), r.PromptTokens, r.CompletionTokens, r.Cost, record.Metadata);
            }).ToArray(),
            Math.Min(total, CountCap),
            total <= CountCap);
    }

    private static string? Preview(string? text) =>
        text is null ? null : text.Length <= PreviewLength ? text : string.Concat(text.AsSpan(0, PreviewLength - 1), "…");
}
