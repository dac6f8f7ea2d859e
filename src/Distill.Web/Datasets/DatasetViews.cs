using Distill.Core.Datasets;

namespace Distill.Web.Datasets;

public sealed record DatasetInput(string Name, string? Description);

public sealed record DatasetSummary(Guid Id, string Name, string? Description, DateTime CreatedAt, int Versions, VersionView? Latest);

public sealed record VersionView(
    Guid Id, Guid DatasetId, int Number, Guid? ParentId, string Operation, string Parameters, string Status, long? CountBefore,
    long CountAfter, string? ContentHash, string? Report, string? Error, Guid? JobId, DateTime CreatedAt, DateTime? CompletedAt)
{
    public static VersionView From(DatasetVersion v) => new(
        v.Id, v.DatasetId, v.Number, v.ParentId, v.Operation, v.Parameters, v.Status.ToString().ToLowerInvariant(), v.CountBefore,
        v.CountAfter, v.ContentHash, v.Report, v.Error, v.JobId, v.CreatedAt, v.CompletedAt);
}

public sealed record ExampleDetail(
    long Id, Guid VersionId, long Ordinal, string Split, ExampleRecord Content, string ContentHash, int PromptTokens, int CompletionTokens,
    Guid? TeacherId, decimal? Cost, string? Logprobs, DateTime CreatedAt, IReadOnlyList<LineageStep> Lineage);
