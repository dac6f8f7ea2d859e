namespace Distill.Core.Teachers;

/// <summary>
/// A connection to the large model whose answers a student learns from, with what it costs and how hard it may
/// be driven. The API key is only ever stored encrypted (ASP.NET Core Data Protection).
/// </summary>
public sealed class Teacher
{
    public Guid Id { get; init; }

    public Guid ProjectId { get; init; }

    public required string Name { get; set; }

    public TeacherKind Kind { get; set; }

    /// <summary>Azure: the resource endpoint; OpenAI-compatible: the base URL (…/v1); Local: the Trainer's base URL or empty for the discovered one.</summary>
    public required string Endpoint { get; set; }

    /// <summary>Azure: the deployment name; otherwise the model name sent in requests.</summary>
    public required string Model { get; set; }

    /// <summary>Azure only: the api-version query parameter.</summary>
    public string? ApiVersion { get; set; }

    public TeacherAuth Auth { get; set; }

    /// <summary>The API key protected by Data Protection; null when <see cref="Auth"/> needs none.</summary>
    public string? ProtectedApiKey { get; set; }

    public decimal InputPricePerMillion { get; set; }

    public decimal OutputPricePerMillion { get; set; }

    public int? RequestsPerMinute { get; set; }

    public int? TokensPerMinute { get; set; }

    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Whether the teacher returns logprobs/top_logprobs; requested only then.</summary>
    public bool SupportsLogprobs { get; set; }

    /// <summary>Azure/OpenAI: ask the service to keep its own stored completion too (store + metadata).</summary>
    public bool StoreCompletions { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public decimal CostOf(long inputTokens, long outputTokens) =>
        (inputTokens * InputPricePerMillion + outputTokens * OutputPricePerMillion) / 1_000_000m;
}
