using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class ExampleFilteringTests
{
    [Fact]
    public void Metadata_conditions_match_values_presence_and_absence()
    {
        var items = new[]
        {
            Examples.Item(1, "q", "a", metadata: Examples.Meta(("source", "chat"), ("reviewed", "yes"))),
            Examples.Item(2, "q", "a", metadata: Examples.Meta(("source", "api"), ("reviewed", "yes"))),
            Examples.Item(3, "q", "a", metadata: Examples.Meta(("source", "chat"))),
            Examples.Item(4, "q", "a", metadata: Examples.Meta(("source", "chat"), ("reviewed", "yes"), ("flagged", "pii"))),
        };

        var result = ExampleFiltering.Run(items, new FilterParameters(Metadata:
        [
            new MetadataCondition("source", MetadataMatch.In, ["chat", "batch"]),
            new MetadataCondition("reviewed", MetadataMatch.Exists),
            new MetadataCondition("flagged", MetadataMatch.Absent),
        ]));

        Assert.Equal([1L], result.KeptIds);
        Assert.Equal(3, result.Counts.RemovedByReason[CurationReasons.Metadata]);
        Assert.Equal(["not source in [chat, batch]", "not reviewed exists", "not flagged absent"], result.Removed.Select(r => r.Detail));
    }

    [Fact]
    public void Lengths_count_characters_of_the_chosen_part()
    {
        var items = new[]
        {
            Examples.Item(1, "Say something long", new string('x', 50)),
            Examples.Item(2, "Say something short", "ok"),
            Examples.Item(3, "Say an emoji", "😀😀😀😀😀"),
        };

        var result = ExampleFiltering.Run(items, new FilterParameters(Lengths: [new LengthCondition(TextScope.Completion, LengthUnit.Characters, Min: 5, Max: 40)]));

        Assert.Equal([3L], result.KeptIds);
        Assert.Equal("Completion has 50 characters", result.Removed[0].Detail);
    }

    [Fact]
    public void Token_lengths_use_stored_counts_first_and_a_counter_otherwise()
    {
        var stored = Examples.Item(1, "a b c", "d e f g") with { Tokens = new ExampleTokenCounts(Prompt: 100, Completion: 900) };
        var counted = Examples.Item(2, "a b c", "d e f g");
        var calls = 0;
        int CountWords(ExampleRecord record)
        {
            calls++;
            return record.Messages.Sum(m => m.Content!.Split(' ').Length);
        }

        var parameters = new FilterParameters(Lengths: [new LengthCondition(TextScope.Example, LengthUnit.Tokens, Max: 500)]);
        var result = ExampleFiltering.Run([stored, counted], parameters, CountWords);

        Assert.Equal([2L], result.KeptIds);
        Assert.Equal(1, calls);
        var completionOnly = ExampleFiltering.Run([counted], new FilterParameters(Lengths: [new LengthCondition(TextScope.Completion, LengthUnit.Tokens, Min: 5)]), CountWords);
        Assert.Empty(completionOnly.Items);
        Assert.Equal("Completion has 4 tokens", completionOnly.Removed[0].Detail);
        Assert.Throws<InvalidOperationException>(() => ExampleFiltering.Run([counted], parameters));
    }

    [Fact]
    public void Dates_include_the_start_and_exclude_the_end()
    {
        var from = new DateTime(2026, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2026, 4, 1, 0, 0, 0, DateTimeKind.Utc);
        var items = new[] { from.AddTicks(-1), from, to.AddTicks(-1), to }.Select((at, i) => Examples.Item(i + 1, Examples.Chat("q", "a"), createdAt: at)).ToArray();

        var result = ExampleFiltering.Run(items, new FilterParameters(CreatedAt: new DateRangeCondition(from, to)));

        Assert.Equal([2L, 3L], result.KeptIds);
        Assert.Equal(2, result.Counts.RemovedByReason[CurationReasons.CreatedAt]);
    }

    [Fact]
    public void Scores_that_are_missing_or_not_numbers_are_reported_not_crashed_on()
    {
        var items = new[] { "0.9", "0.35", "excellent", null, "NaN", "1e0", "0,8" }
            .Select((score, i) => Examples.Item(i + 1, "q", "a", metadata: score is null ? Examples.Meta() : Examples.Meta(("quality", score))))
            .ToArray();

        var result = ExampleFiltering.Run(items, new FilterParameters(Scores: [new ScoreCondition("quality", Min: 0.5)]));

        Assert.Equal([1L, 6L], result.KeptIds);
        Assert.Equal(1, result.Counts.RemovedByReason[CurationReasons.ScoreOutOfRange]);
        Assert.Equal(1, result.Counts.RemovedByReason[CurationReasons.ScoreMissing]);
        Assert.Equal(3, result.Counts.RemovedByReason[CurationReasons.ScoreNotNumeric]);
        Assert.Contains(result.Removed, r => r.Detail == "quality is 'excellent'");
    }

    [Fact]
    public void An_item_is_removed_for_the_first_condition_it_fails()
    {
        var item = Examples.Item(1, "q", "a", metadata: Examples.Meta(("source", "spam"), ("quality", "0.1")));
        var parameters = new FilterParameters(
            Metadata: [new MetadataCondition("source", MetadataMatch.In, ["chat"])],
            Scores: [new ScoreCondition("quality", Min: 0.5)]);

        Assert.Equal(CurationReasons.Metadata, Assert.Single(ExampleFiltering.Run([item], parameters).Removed).Reason);
    }

    [Fact]
    public void Conditions_are_checked_before_anything_runs()
    {
        var errors = new FilterParameters(
            Metadata: [new MetadataCondition("source", MetadataMatch.In), new MetadataCondition("x", MetadataMatch.Absent, ["y"])],
            CreatedAt: new DateRangeCondition(Examples.Epoch, Examples.Epoch),
            Lengths: [new LengthCondition(Min: 10, Max: 5)],
            Scores: [new ScoreCondition("q", double.NaN)]).Validate();

        Assert.Equal(["createdAt", "lengths[0]", "metadata[0]", "metadata[1]", "scores[0]"], errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("min (10) must not exceed max (5)", errors["lengths[0]"]);
        Assert.Contains("give at least one condition", new FilterParameters().Validate()["conditions"]);
    }
}
