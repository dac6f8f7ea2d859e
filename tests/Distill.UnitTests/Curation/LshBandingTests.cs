using Distill.Core.Curation;

namespace Distill.UnitTests.Curation;

public sealed class LshBandingTests
{
    [Theory]
    [InlineData(0.95)]
    [InlineData(0.9)]
    [InlineData(0.8)]
    [InlineData(0.5)]
    public void Bands_propose_pairs_at_the_threshold_and_rarely_pairs_far_below_it(double threshold)
    {
        var banding = LshBanding.Tune(threshold, 128);

        Assert.True(banding.Bands * banding.Rows <= 128);
        Assert.True(banding.CandidateProbability(threshold) >= LshBanding.RecallAtThreshold);
        Assert.True(banding.CandidateProbability(threshold - 0.4) < 0.1, $"{banding}: {banding.CandidateProbability(threshold - 0.4):F3} at {threshold - 0.4}");
    }

    [Fact]
    public void The_default_threshold_uses_long_bands()
    {
        Assert.Equal(new LshBanding(8, 16), LshBanding.Tune(0.95, 128));
    }
}
