using System.Text.Json;
using Distill.Core.Curation;
using Distill.Core.Datasets;
using Distill.Core.Jobs;

namespace Distill.UnitTests.Curation;

public sealed class CurationParametersTests
{
    public static TheoryData<ICurationParameters> Defaults() =>
    [
        new ExactDedupParameters(),
        new NearDedupParameters(),
        new PiiRedactionParameters(),
        new DecontaminationParameters(),
        new SplitParameters(),
        new SampleParameters(Count: 10),
        new FilterParameters(Scores: [new ScoreCondition("quality", 0.5)]),
    ];

    public static TheoryData<ICurationParameters> Customised() =>
    [
        new ExactDedupParameters(TextScope.Prompt),
        new NearDedupParameters(0.9, TextScope.Completion, true, 7, 64, 3, NearDuplicateVerification.Estimated),
        new PiiRedactionParameters([PiiKind.Email, PiiKind.NationalId], IncludeToolArguments: false),
        new DecontaminationParameters(0.7, TextScope.Example, EvaluationSplit: null, TargetSplits: [DatasetSplits.Train, DatasetSplits.Validation], NgramOverlap: true, NgramSize: 8),
        new SplitParameters(new SplitRatios(0.9, 0.05, 0.05), Seed: 12, StratifyBy: "lang", GroupBy: "conversation"),
        new SampleParameters(Fraction: 0.1, Seed: 5, StratifyBy: "source"),
        new FilterParameters(
            [new MetadataCondition("source", MetadataMatch.In, ["chat"]), new MetadataCondition("flagged", MetadataMatch.Absent)],
            new DateRangeCondition(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            [new LengthCondition(TextScope.Completion, LengthUnit.Tokens, 1, 2048)],
            [new ScoreCondition("quality", 0.5, 1)]),
    ];

    [Theory]
    [MemberData(nameof(Defaults))]
    public void Defaults_are_valid(ICurationParameters parameters) => Assert.Empty(parameters.Validate());

    [Theory]
    [MemberData(nameof(Customised))]
    public void Parameters_survive_the_trip_through_lineage_json(ICurationParameters parameters)
    {
        Assert.Empty(parameters.Validate());
        var json = JsonSerializer.Serialize(parameters, parameters.GetType(), JobPayload.Json);
        var read = (ICurationParameters)JsonSerializer.Deserialize(json, parameters.GetType(), JobPayload.Json)!;

        Assert.Equal(json, JsonSerializer.Serialize(read, parameters.GetType(), JobPayload.Json));
        Assert.Equal(parameters.Operation, read.Operation);
        Assert.DoesNotContain("operation", json);
    }

    [Fact]
    public void Enums_are_stored_by_name()
    {
        var json = JsonSerializer.Serialize(new NearDedupParameters(Scope: TextScope.Prompt), JobPayload.Json);

        Assert.Contains("\"scope\":\"Prompt\"", json);
        Assert.Contains("\"verification\":\"Exact\"", json);
    }

    [Theory]
    [InlineData(1.5, 5, 128, "threshold", "must be greater than 0 and at most 1, not 1.5")]
    [InlineData(0.9, 0, 128, "shingleSize", "must be between 1 and 32, not 0")]
    [InlineData(0.9, 5, 8, "permutations", "must be between 16 and 1024, not 8")]
    public void Near_dedup_errors_name_the_field(double threshold, int shingleSize, int permutations, string field, string message)
    {
        var parameters = new NearDedupParameters(threshold, ShingleSize: shingleSize, Permutations: permutations);

        Assert.Equal([message], parameters.Validate()[field]);
        var error = Assert.Throws<ArgumentException>(() => NearDeduplication.Run([], parameters));
        Assert.Contains($"{field}: {message}", error.Message);
    }

    [Fact]
    public void Lineage_counts_are_serialised_in_a_stable_order()
    {
        var items = new[] { Examples.Item(1, "b@c.io", "10.0.0.1"), Examples.Item(2, "hi", "there") };
        var counts = PiiRedaction.Run(items, new PiiRedactionParameters()).Counts;

        var json = JsonSerializer.Serialize(counts, JobPayload.Json);
        Assert.Equal(
            "{\"operation\":\"pii-redaction\",\"before\":2,\"after\":2,\"removedByReason\":{},\"tallies\":{\"card\":0,\"email\":1,\"iban\":0,\"ip\":1,\"national_id\":0,\"phone\":0,\"redacted_examples\":1},\"removed\":0}",
            json);
    }
}
