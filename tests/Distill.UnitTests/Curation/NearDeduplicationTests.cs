using System.Diagnostics;
using System.Text;
using Distill.Core.Curation;
using Distill.Core.Datasets;
using Xunit.Abstractions;

namespace Distill.UnitTests.Curation;

public sealed class NearDeduplicationTests(ITestOutputHelper output)
{
    private const string Answer =
        "The water cycle moves water between the oceans, the air and the land. The sun warms the surface of the sea, and " +
        "water evaporates into the air as vapour. As the vapour rises it cools and condenses into tiny droplets that form " +
        "clouds. When the droplets grow heavy enough they fall back to the ground as rain, snow or hail. Some of that water " +
        "soaks into the soil and feeds plants and underground aquifers, while the rest runs off into streams and rivers that " +
        "carry it back to the sea. Plants also release water through their leaves, which adds more vapour to the air. The " +
        "whole cycle has no beginning and no end, and it is driven almost entirely by energy from the sun and by gravity.";

    [Fact]
    public void Planted_near_duplicates_are_found_with_high_precision_and_recall_among_hard_negatives()
    {
        var corpus = new PlantedNearDuplicates(seed: 7).Build(bases: 300, nearDuplicates: 200, hardNegatives: 200);
        var records = corpus.Items.ToDictionary(i => i.Id, i => i.Record);
        var plantedSimilarity = corpus.Planted.Select(p => NearDeduplication.Similarity(records[p.Duplicate], records[p.Original])).ToArray();
        var negativeSimilarity = corpus.HardNegatives.Select(p => NearDeduplication.Similarity(records[p.HardNegative], records[p.Original])).ToArray();
        output.WriteLine($"planted near duplicates: Jaccard {plantedSimilarity.Min():F3}..{plantedSimilarity.Max():F3}; hard negatives: {negativeSimilarity.Min():F3}..{negativeSimilarity.Max():F3}");

        var clock = Stopwatch.StartNew();
        var result = NearDeduplication.Run(corpus.Items, new NearDedupParameters());
        var found = result.Removed.Select(r => (r.Id, r.DuplicateOf!.Value)).ToHashSet();
        var hits = found.Count(corpus.Planted.Contains);
        var precision = found.Count == 0 ? 1 : (double)hits / found.Count;
        var recall = (double)hits / corpus.Planted.Count;
        output.WriteLine($"{corpus.Items.Count} examples in {clock.ElapsedMilliseconds} ms: removed {found.Count}, planted {corpus.Planted.Count}, found {hits}; precision {precision:F4}, recall {recall:F4}");
        output.WriteLine(string.Join(", ", result.Counts.Tallies.Select(t => $"{t.Key}={t.Value}")));

        Assert.True(negativeSimilarity.Max() < 0.85, "the hard negatives must be well below the threshold for the test to mean anything");
        Assert.True(precision >= 0.99, $"precision {precision:F4}");
        Assert.True(recall >= 0.95, $"recall {recall:F4}");
        Assert.Equal(result.Removed.Select(r => r.Id).Order(), corpus.Items.Select(i => i.Id).Except(result.KeptIds).Order());
        Assert.Equal(result.Counts.Before - result.Counts.After, result.Counts.RemovedByReason[CurationReasons.NearDuplicate]);
    }

    [Fact]
    public void Case_whitespace_and_punctuation_do_not_count_and_one_typo_stays_above_the_threshold()
    {
        var original = Examples.Chat("Describe the water cycle.", Answer);
        var restyled = Examples.Chat("describe   the WATER cycle!", Answer.ToUpperInvariant().Replace(", ", " ; ").Replace(". ", ".\n\n"));
        var typo = Examples.Chat("Describe the water cycle.", Answer.Replace("evaporates", "evaporaets"));

        Assert.Equal(1.0, NearDeduplication.Similarity(original, restyled));
        Assert.InRange(NearDeduplication.Similarity(original, typo), 0.97, 0.999);
        Assert.InRange(NearDeduplication.EstimatedSimilarity(original, typo), 0.9, 1.0);
    }

    [Fact]
    public void Texts_sharing_a_template_but_not_their_substance_are_dissimilar()
    {
        var a = Examples.Chat("Describe the water cycle in simple terms.", "Great question! " + Answer + " I hope this helps.");
        var b = Examples.Chat("Describe the carbon cycle in simple terms.", "Great question! Carbon moves between the air, living things, rocks and the oceans; plants take it in and animals breathe it out. I hope this helps.");
        Assert.InRange(NearDeduplication.Similarity(a, b), 0.0, 0.3);
    }

    [Fact]
    public void The_lowest_id_of_a_cluster_is_kept_whatever_the_row_order_and_chains_form_one_cluster()
    {
        // b is a near duplicate of a and c of b, while a and c are further apart than the threshold: one cluster.
        var a = Examples.Chat("Describe the water cycle.", Answer);
        var b = Examples.Chat("Describe the water cycle.", Typos(Answer, 0, 2));
        var c = Examples.Chat("Describe the water cycle.", Typos(Typos(Answer, 0, 2), 2, 2));
        Assert.True(NearDeduplication.Similarity(a, b) >= 0.95 && NearDeduplication.Similarity(b, c) >= 0.95);
        Assert.True(NearDeduplication.Similarity(a, c) < 0.95, $"a~c {NearDeduplication.Similarity(a, c):F3}");
        var other = Examples.Chat("Name a prime number.", "Seven is a prime number.");

        var result = NearDeduplication.Run([Examples.Item(30, c), Examples.Item(4, other), Examples.Item(20, b), Examples.Item(10, a)], new NearDedupParameters());

        Assert.Equal([4L, 10L], result.KeptIds.Order());
        Assert.All(result.Removed, r => Assert.Equal(10, r.DuplicateOf));
        Assert.Equal([4L, 10L], result.Items.Select(i => i.Id));
    }

    [Fact]
    public void Results_are_the_same_on_one_core_and_many_and_from_run_to_run()
    {
        var corpus = new PlantedNearDuplicates(seed: 11).Build(bases: 60, nearDuplicates: 30, hardNegatives: 20);
        var first = NearDeduplication.Run(corpus.Items, new NearDedupParameters(), maxDegreeOfParallelism: 1);
        var second = NearDeduplication.Run(corpus.Items, new NearDedupParameters());

        Assert.Equal(first.Removed, second.Removed);
        Assert.Equal(first.Counts.Tallies, second.Counts.Tallies);
    }

    [Fact]
    public void System_prompts_are_left_out_unless_asked_for()
    {
        var system = string.Join(" ", Enumerable.Range(0, 150).Select(i => $"rule {i} says topic {i * 7 % 13} comes before topic {i * 5 % 11}."));
        var a = Examples.Chat("What is the capital of France?", "Paris.", system: system);
        var b = Examples.Chat("What is the capital of Peru?", "Lima.", system: system);

        Assert.True(NearDeduplication.Similarity(a, b) < 0.6);
        Assert.True(NearDeduplication.Similarity(a, b, new NearDedupParameters(IncludeSystemMessages: true)) > 0.95);
        Assert.Equal(2, NearDeduplication.Run([Examples.Item(1, a), Examples.Item(2, b)], new NearDedupParameters()).Counts.After);
    }

    [Fact]
    public void Examples_without_text_are_never_merged()
    {
        var result = NearDeduplication.Run([Examples.Item(1, "?!", "..."), Examples.Item(2, "!!", "—")], new NearDedupParameters());

        Assert.Equal(2, result.Counts.After);
        Assert.Equal(2, result.Counts.Tallies["without_text"]);
    }

    [Fact]
    public void Estimated_verification_also_finds_clear_near_duplicates()
    {
        var corpus = new PlantedNearDuplicates(seed: 3).Build(bases: 80, nearDuplicates: 40, hardNegatives: 40);
        var result = NearDeduplication.Run(corpus.Items, new NearDedupParameters(Verification: NearDuplicateVerification.Estimated));
        var found = result.Removed.Select(r => (r.Id, r.DuplicateOf!.Value)).ToHashSet();

        Assert.True(found.Count(corpus.Planted.Contains) >= 0.9 * corpus.Planted.Count);
        Assert.True(found.Count(corpus.Planted.Contains) >= 0.95 * found.Count);
    }

    private static string Typos(string text, int first, int count)
    {
        // Spread over the text so that every typo breaks its own shingles.
        var chars = new StringBuilder(text);
        for (var t = first; t < first + count; t++)
        {
            var at = 40 + t * 100;
            while (!char.IsLetter(chars[at]))
            {
                at++;
            }

            chars[at] = chars[at] == 'x' ? 'q' : 'x';
        }

        return chars.ToString();
    }
}
