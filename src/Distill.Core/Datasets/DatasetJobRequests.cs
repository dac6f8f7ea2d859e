using System.Text.Json;

namespace Distill.Core.Datasets;

/// <summary>Import an upload into a new version of a dataset.</summary>
/// <param name="Format">chat, prompt-completion, stored-completions or csv.</param>
/// <param name="Csv">Which columns hold what, for CSV files.</param>
/// <param name="RequireAssistantReply">Training data: every conversation must end with an assistant turn.</param>
/// <param name="MaxTokens">Reject examples estimated longer than this.</param>
public sealed record ImportRequest(
    Guid UploadId,
    string Format,
    ImportErrorMode ErrorMode = ImportErrorMode.RejectAll,
    CsvColumns? Csv = null,
    bool RequireAssistantReply = true,
    int? MaxTokens = null);

public sealed record CsvColumns(string Prompt, string? Completion = null, string? System = null, IReadOnlyList<string>? Metadata = null, char Delimiter = ',');

/// <summary>Make a new version from a ready one by one curation operation (see <see cref="DatasetOperations"/>).</summary>
public sealed record CurationRequest(string Operation, JsonElement Parameters, Guid? EvaluationVersionId = null);

/// <summary>Run a teacher over a ready version's prompts; the answers make a new version.</summary>
public sealed record GenerationRequest(
    Guid TeacherId,
    double? Temperature = null,
    int MaxOutputTokens = 1024,
    int? TopLogprobs = null,
    double MinSuccessRatio = 0.95);

/// <summary>Turn captured exchanges into a new version of a dataset.</summary>
public sealed record CaptureSnapshotRequest(Guid? TeacherId = null, DateTime? From = null, DateTime? To = null, IReadOnlyDictionary<string, string>? Metadata = null);

/// <summary>The payloads the Worker's dataset jobs receive: the request plus where its result goes.</summary>
public sealed record ImportPayload(Guid DatasetId, ImportRequest Request);

public sealed record CurationPayload(Guid DatasetId, Guid ParentVersionId, CurationRequest Request);

public sealed record GenerationPayload(Guid DatasetId, Guid SourceVersionId, GenerationRequest Request);

public sealed record CaptureSnapshotPayload(Guid DatasetId, CaptureSnapshotRequest Request);
