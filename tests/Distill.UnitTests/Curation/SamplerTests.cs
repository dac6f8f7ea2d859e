using Distill.Core.Curation;

namespace Distill.UnitTests.Curation;

public sealed class SamplerTests
{
    private static readonly List<CurationItem> Items = Enumerable.Range(1, 1000)
        .Select(id => Examples.Item(id, $"q{id}", $"a{id}", metadata: Examples.Meta(("source", id % 10 < 7 ? "chat" : id % 10 < 9 ? "api" : "batch"))))
        .ToList();

    [Fact]
    public void A_count_or_a_fraction_gives_exactly_that_many()
    {
        Assert.Equal(123, Sampler.Run(Items, new SampleParameters(Count: 123, Seed: 1)).Counts.After);
        Assert.Equal(250, Sampler.Run(Items, new SampleParameters(Fraction: 0.25, Seed: 1)).Counts.After);
        Assert.Equal(1000, Sampler.Run(Items, new SampleParameters(Count: 5000)).Counts.After);
    }

    [Fact]
    public void A_stratified_sample_keeps_every_stratum_in_proportion()
    {
        var result = Sampler.Run(Items, new SampleParameters(Count: 100, Seed: 4, StratifyBy: "source"));

        var bySource = result.Items.GroupBy(i => i.Record.Metadata["source"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(70, bySource["chat"]);
        Assert.Equal(20, bySource["api"]);
        Assert.Equal(10, bySource["batch"]);
        Assert.Equal(900, result.Counts.RemovedByReason[CurationReasons.NotSampled]);
    }

    [Fact]
    public void The_same_seed_gives_the_same_sample_in_any_row_order_and_another_seed_another()
    {
        var reversed = Items.AsEnumerable().Reverse().ToList();
        var first = Sampler.Run(Items, new SampleParameters(Count: 50, Seed: 7)).KeptIds.Order().ToList();

        Assert.Equal(first, Sampler.Run(reversed, new SampleParameters(Count: 50, Seed: 7)).KeptIds.Order());
        Assert.NotEqual(first, Sampler.Run(Items, new SampleParameters(Count: 50, Seed: 8)).KeptIds.Order());
        Assert.Subset(Sampler.Run(Items, new SampleParameters(Count: 80, Seed: 7)).KeptIds.ToHashSet(), first.ToHashSet());
    }

    [Theory]
    [InlineData(null, null, "count")]
    [InlineData(10, 0.5, "count")]
    [InlineData(0, null, "count")]
    [InlineData(null, 1.5, "fraction")]
    public void Count_and_fraction_are_checked(int? count, double? fraction, string field) =>
        Assert.Contains(field, new SampleParameters(count, fraction).Validate().Keys);
}
