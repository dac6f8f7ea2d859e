using System.Text.Json;
using Distill.Core.Datasets;
using Distill.Core.Jobs;

namespace Distill.Core.Curation;

/// <summary>
/// The operations by the names they are stored under in lineage, next to their parameters' JSON, and one entry point
/// so a job can run whichever operation its payload names.
/// </summary>
public static class CurationOperations
{
    public const string ExactDedup = "exact-dedup";
    public const string NearDedup = "near-dedup";
    public const string PiiRedaction = "pii-redaction";
    public const string Decontamination = "decontamination";
    public const string Split = "split";
    public const string Sample = "sample";
    public const string Filter = "filter";

    private static readonly Dictionary<string, Type> ParameterTypes = new(StringComparer.Ordinal)
    {
        [ExactDedup] = typeof(ExactDedupParameters),
        [NearDedup] = typeof(NearDedupParameters),
        [PiiRedaction] = typeof(PiiRedactionParameters),
        [Decontamination] = typeof(DecontaminationParameters),
        [Split] = typeof(SplitParameters),
        [Sample] = typeof(SampleParameters),
        [Filter] = typeof(FilterParameters),
    };

    public static IReadOnlyCollection<string> All => ParameterTypes.Keys;

    /// <summary>Parameters as lineage stores them (<see cref="JobPayload.Json"/>); an empty object means the defaults.</summary>
    public static ICurationParameters ReadParameters(string operation, string json) =>
        ParameterTypes.TryGetValue(operation, out var type)
            ? (ICurationParameters)(JsonSerializer.Deserialize(json, type, JobPayload.Json) ?? throw new ArgumentException($"The {operation} parameters are empty.", nameof(json)))
            : throw new ArgumentException($"'{operation}' is not a curation operation; known operations: {string.Join(", ", All)}.", nameof(operation));

    public static string WriteParameters(ICurationParameters parameters) => JsonSerializer.Serialize(parameters, parameters.GetType(), JobPayload.Json);

    public static CurationResult Run(ICurationParameters parameters, IReadOnlyList<CurationItem> items, CurationContext? context = null)
    {
        context ??= new CurationContext();
        return parameters switch
        {
            ExactDedupParameters p => ExactDeduplication.Run(items, p, context.MaxDegreeOfParallelism),
            NearDedupParameters p => NearDeduplication.Run(items, p, context.MaxDegreeOfParallelism),
            PiiRedactionParameters p => Curation.PiiRedaction.Run(items, p, context.MaxDegreeOfParallelism),
            DecontaminationParameters p => Curation.Decontamination.Run(items, p, context.EvaluationRecords, context.MaxDegreeOfParallelism),
            SplitParameters p => DatasetSplitter.Run(items, p),
            SampleParameters p => Sampler.Run(items, p),
            FilterParameters p => ExampleFiltering.Run(items, p, context.CountTokens),
            _ => throw new ArgumentException($"{parameters.GetType().Name} is not the parameters of a curation operation.", nameof(parameters)),
        };
    }
}

/// <summary>
/// What an operation may need besides its items and parameters; none of it is lineage: the evaluation records are
/// recorded as the version they came from, a token counter as the tokenizer it wraps.
/// </summary>
public sealed record CurationContext(
    IReadOnlyList<ExampleRecord>? EvaluationRecords = null,
    Func<ExampleRecord, int>? CountTokens = null,
    int MaxDegreeOfParallelism = -1);
