using Distill.Core.Curation;
using Distill.Core.Datasets;

namespace Distill.UnitTests.Curation;

public sealed class DatasetSplitterTests
{
    private static readonly SplitRatios EightyTenTen = new(0.8, 0.1, 0.1);

    [Fact]
    public void Every_stratum_is_split_in_the_ratios_to_within_one_example()
    {
        var items = Items(("en", 503), ("de", 301), ("fr", 196), ("ja", 7)).ToList();

        var result = DatasetSplitter.Run(items, new SplitParameters(EightyTenTen, Seed: 1, StratifyBy: "lang"));

        foreach (var stratum in result.Items.GroupBy(i => i.Record.Metadata["lang"]))
        {
            var size = stratum.Count();
            foreach (var (split, ratio) in DatasetSplits.All.Zip(EightyTenTen.InSplitOrder))
            {
                Assert.InRange(stratum.Count(i => i.Split == split), ratio * size - 1, ratio * size + 1);
            }
        }

        Assert.Equal(items.Count, result.Counts.Tallies.Where(t => DatasetSplits.All.Contains(t.Key)).Sum(t => t.Value));
        Assert.Equal(result.Items.Count(i => i.Split == DatasetSplits.Test), result.Counts.Tallies[DatasetSplits.Test]);
        Assert.Equal(items.Select(i => i.Id), result.Items.Select(i => i.Id));
        Assert.Empty(result.Removed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_group_ever_crosses_splits(bool stratify)
    {
        var random = new Random(5);
        var items = new List<CurationItem>();
        for (var conversation = 0; conversation < 400; conversation++)
        {
            var lang = conversation % 3 == 0 ? "de" : "en";
            for (var turn = random.Next(1, 9); turn > 0; turn--)
            {
                // A few conversations have turns in two languages: the group must still stay whole.
                var turnLang = conversation % 50 == 0 && turn % 2 == 0 ? "fr" : lang;
                items.Add(Examples.Item(items.Count + 1, $"turn {turn} of {conversation}", "ok", metadata: Examples.Meta(("conversation", $"c{conversation}"), ("lang", turnLang))));
            }
        }

        items.Add(Examples.Item(items.Count + 1, "no conversation", "ok", metadata: Examples.Meta(("lang", "en"))));
        var result = DatasetSplitter.Run(items, new SplitParameters(EightyTenTen, Seed: 9, StratifyBy: stratify ? "lang" : null, GroupBy: "conversation"));

        foreach (var group in result.Items.Where(i => i.Record.Metadata.ContainsKey("conversation")).GroupBy(i => i.Record.Metadata["conversation"]))
        {
            Assert.Single(group.Select(i => i.Split).Distinct());
        }

        foreach (var (split, ratio) in DatasetSplits.All.Zip(EightyTenTen.InSplitOrder))
        {
            Assert.InRange(result.Items.Count(i => i.Split == split), ratio * items.Count - 16, ratio * items.Count + 16);
        }

        var mixed = items.Where(i => i.Record.Metadata.ContainsKey("conversation")).GroupBy(i => i.Record.Metadata["conversation"]).Count(g => g.Select(i => i.Record.Metadata["lang"]).Distinct().Count() > 1);
        Assert.True(mixed > 0);
        if (stratify)
        {
            Assert.Equal(mixed, result.Counts.Tallies["groups_spanning_strata"]);
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_in_any_row_order_and_another_seed_another_split()
    {
        var items = Items(("en", 300), ("de", 200)).ToList();
        var shuffled = items.OrderBy(i => StableHash.Of(99, i.Id)).ToList();
        Dictionary<long, string> Split(IReadOnlyList<CurationItem> input, long seed) =>
            DatasetSplitter.Run(input, new SplitParameters(EightyTenTen, seed, StratifyBy: "lang")).Items.ToDictionary(i => i.Id, i => i.Split);

        var first = Split(items, 42);
        Assert.Equal(first, Split(items, 42));
        Assert.Equal(first, Split(shuffled, 42));
        var other = Split(items, 43);
        Assert.True(first.Count(p => other[p.Key] != p.Value) > items.Count / 10, "a different seed must reshuffle the split");
    }

    [Fact]
    public void A_split_with_ratio_zero_gets_nothing()
    {
        var result = DatasetSplitter.Run(Items(("en", 101)).ToList(), new SplitParameters(new SplitRatios(0.9, 0.1, 0), Seed: 3));

        Assert.DoesNotContain(result.Items, i => i.Split == DatasetSplits.Test);
        Assert.Equal(91, result.Counts.Tallies[DatasetSplits.Train]);
        Assert.Equal(10, result.Counts.Tallies[DatasetSplits.Validation]);
    }

    [Theory]
    [InlineData(0.8, 0.05, 0.05, "ratios must sum to 1; got 0.9")]
    [InlineData(1.2, -0.1, -0.1, "validation must be between 0 and 1; got -0.1")]
    public void Bad_ratios_are_refused_with_what_is_wrong(double train, double validation, double test, string message)
    {
        var parameters = new SplitParameters(new SplitRatios(train, validation, test));

        Assert.Contains(message, parameters.Validate()["ratios"]);
        var error = Assert.Throws<ArgumentException>(() => DatasetSplitter.Run([], parameters));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Ratios_that_are_one_only_up_to_rounding_are_accepted() =>
        Assert.Empty(new SplitParameters(new SplitRatios(0.7, 0.2, 0.1)).Validate());

    private static IEnumerable<CurationItem> Items(params (string Lang, int Count)[] strata)
    {
        var id = 0;
        foreach (var (lang, count) in strata)
        {
            for (var i = 0; i < count; i++)
            {
                id++;
                yield return Examples.Item(id * 3, $"question {id}", $"answer {id}", metadata: Examples.Meta(("lang", lang)));
            }
        }
    }
}
