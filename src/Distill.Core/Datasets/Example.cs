using NpgsqlTypes;

namespace Distill.Core.Datasets;

/// <summary>
/// One conversation in one DatasetVersion. Rows are written once while the version is Building and never
/// updated: an operation that changes content writes new rows into a new version.
/// </summary>
public sealed class Example
{
    public long Id { get; init; }

    public Guid DatasetVersionId { get; init; }

    /// <summary>Position within the version; curation keeps the parent's order.</summary>
    public long Ordinal { get; init; }

    public required string Split { get; init; }

    /// <summary>The conversation as a JSON array of OpenAI chat messages (jsonb).</summary>
    public required string Messages { get; init; }

    /// <summary>String metadata as a JSON object (jsonb).</summary>
    public required string Metadata { get; init; }

    /// <summary>sha256 (hex) of the example's canonical JSONL line.</summary>
    public required string ContentHash { get; init; }

    public int PromptTokens { get; init; }

    public int CompletionTokens { get; init; }

    /// <summary>The teacher whose answer the last assistant turn is, when it came from one.</summary>
    public Guid? TeacherId { get; init; }

    public decimal? Cost { get; init; }

    /// <summary>Per-token top logprobs of the teacher's answer as JSON, when the teacher returned them.</summary>
    public string? Logprobs { get; init; }

    public DateTime CreatedAt { get; init; }

    /// <summary>Every string in the conversation, for full-text search; Postgres computes it on insert.</summary>
    public NpgsqlTsVector? SearchVector { get; init; }
}
