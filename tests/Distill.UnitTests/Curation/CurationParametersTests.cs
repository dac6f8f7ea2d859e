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

    [Theory]
    [MemberData(nameof(Customised))]
    public void Parameters_are_read_back_by_operation_name(ICurationParameters parameters)
    {
        var json = CurationOperations.WriteParameters(parameters);
        var read = CurationOperations.ReadParameters(parameters.Operation, json);

        Assert.IsType(parameters.GetType(), read);
        Assert.Equal(json, CurationOperations.WriteParameters(read));
    }

    [Fact]
    public void An_empty_object_means_the_defaults_and_an_unknown_operation_is_refused()
    {
        Assert.Equal(new NearDedupParameters(), CurationOperations.ReadParameters(CurationOperations.NearDedup, "{}"));
        var error = Assert.Throws<ArgumentException>(() => CurationOperations.ReadParameters("dedup", "{}"));
        Assert.Contains("'dedup' is not a curation operation", error.Message);
        Assert.Contains(CurationOperations.NearDedup, error.Message);
    }

    [Fact]
    public void One_entry_point_runs_whichever_operation_the_parameters_name()
    {
        var items = Enumerable.Range(1, 20).Select(i => Examples.Item(i, $"q{i % 5}", $"a{i % 5}")).ToList();

        Assert.Equal(5, CurationOperations.Run(new ExactDedupParameters(), items).Counts.After);
        Assert.Equal(
            Sampler.Run(items, new SampleParameters(Count: 7, Seed: 3)).KeptIds,
            CurationOperations.Run(CurationOperations.ReadParameters(CurationOperations.Sample, "{\"count\":7,\"seed\":3}"), items).KeptIds);
        var filter = new FilterParameters(Lengths: [new LengthCondition(Unit: LengthUnit.Tokens, Max: 1)]);
        Assert.Empty(CurationOperations.Run(filter, items, new CurationContext(CountTokens: _ => 2)).Items);
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
