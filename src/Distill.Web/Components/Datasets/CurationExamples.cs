using System.Text.Json;
using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.Web.Components.Datasets;

/// <summary>
/// A starting point for each operation's parameters: the operation's own parameter record with its defaults (plus a
/// typical condition where there is no useful default), written as the Worker will read it, so it always fits.
/// </summary>
public static class CurationExamples
{
    private static readonly JsonSerializerOptions Indented = new(Distill.Core.Jobs.JobPayload.Json) { WriteIndented = true };

    public static string For(string operation) => operation switch
    {
        DatasetOperations.Filter => Write(new FilterParameters(
            Metadata: [new MetadataCondition("lang", MetadataMatch.In, ["en"])],
            Lengths: [new LengthCondition(TextScope.Example, LengthUnit.Tokens, Min: 1, Max: 4096)])),
        DatasetOperations.ExactDedup => Write(new ExactDedupParameters()),
        DatasetOperations.NearDedup => Write(new NearDedupParameters()),
        DatasetOperations.RedactPii => Write(new PiiRedactionParameters()),
        DatasetOperations.Decontaminate => Write(new DecontaminationParameters()),
        DatasetOperations.Split => Write(new SplitParameters(new SplitRatios(0.8, 0.1, 0.1), Seed: 42)),
        DatasetOperations.Sample => Write(new SampleParameters(Count: 1000, Seed: 42)),
        _ => "{}",
    };

    public static string Describe(string operation) => operation switch
    {
        DatasetOperations.Filter => "keep only examples that meet every condition",
        DatasetOperations.ExactDedup => "drop examples whose normalised text was seen before",
        DatasetOperations.NearDedup => "drop near-duplicates (MinHash with LSH, Jaccard threshold)",
        DatasetOperations.RedactPii => "replace personal data with typed placeholders",
        DatasetOperations.Decontaminate => "drop training examples that near-duplicate an evaluation set",
        DatasetOperations.Split => "assign train / validation / test",
        DatasetOperations.Sample => "keep a random subset",
        _ => "",
    };

    private static string Write(ICurationParameters parameters) => JsonSerializer.Serialize(parameters, parameters.GetType(), Indented);
}
