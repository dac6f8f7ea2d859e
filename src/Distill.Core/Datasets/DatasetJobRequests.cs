using System.Text.Json;
using Distill.Core.Imports;

namespace Distill.Core.Datasets;

/// <summary>Import an upload into a new version of a dataset.</summary>
/// <param name="Csv">Which columns hold what, for CSV files.</param>
/// <param name="RequireAssistantReply">Training data: every conversation must end with an assistant turn.</param>
/// <param name="MaxTokens">Reject examples estimated longer than this.</param>
public sealed record ImportRequest(
    Guid UploadId,
    ImportFormat Format,
    BadLinePolicy ErrorMode = BadLinePolicy.RejectImport,
    CsvImportOptions? Csv = null,
    bool RequireAssistantReply = true,
    int? MaxTokens = null)
{
    public ImportOptions Options() => new(Format) { Csv = Csv, RequireAssistantReply = RequireAssistantReply, MaxEstimatedTokens = MaxTokens };
}

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
