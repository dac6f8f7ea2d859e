using Distill.Core.Datasets;

namespace Distill.Worker.Datasets;

/// <summary>An example on its way into a DatasetVersion that is being built.</summary>
internal sealed record NewExample(
    long Ordinal,
    string Split,
    ExampleRecord Record,
    int PromptTokens,
    int CompletionTokens,
    Guid? TeacherId = null,
    decimal? Cost = null,
    string? Logprobs = null,
    DateTime? CreatedAt = null);
