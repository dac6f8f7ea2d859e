using System.Diagnostics;
using Distill.Bench.Dedup;
using Distill.Core.Curation;

// Near-duplicate removal over 100k examples of ~150 words, once on one core and once on all of them. Planted near
// duplicates (small edits of an earlier example) measure recall; hard negatives (an earlier example with a third of its
// sentences rewritten) and stock phrases shared by every answer make precision mean something.
var count = args.Length > 0 ? int.Parse(args[0]) : 100_000;
var clock = Stopwatch.StartNew();
var items = new SyntheticCorpus(seed: 20261124).Generate(count, nearDuplicateShare: 0.01, hardNegativeShare: 0.01, out var planted, out var hardNegatives);
var words = items.Take(1000).Average(i => i.Record.Completion!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
Console.WriteLine($"generated {items.Count} examples ({words:F0} words per answer on average), {planted.Count} planted near duplicates, {hardNegatives.Count} hard negatives, in {clock.Elapsed.TotalSeconds:F1} s");

var parameters = new NearDedupParameters();
var banding = LshBanding.Tune(parameters.Threshold, parameters.Permutations);
Console.WriteLine($"threshold {parameters.Threshold}, {parameters.Permutations} permutations, {parameters.ShingleSize}-character shingles, LSH {banding.Bands} bands x {banding.Rows} rows (P(candidate) at the threshold {banding.CandidateProbability(parameters.Threshold):F3}, at 0.8 {banding.CandidateProbability(0.8):F3})");

clock.Restart();
var exact = ExactDeduplication.Run(items, new ExactDedupParameters());
var exactSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"exact dedup: {exact.Counts.Removed} removed in {exactSeconds:F2} s");

(CurationResult Result, double Seconds) Time(int maxDegreeOfParallelism)
{
    var watch = Stopwatch.StartNew();
    var result = NearDeduplication.Run(items, parameters, maxDegreeOfParallelism);
    return (result, watch.Elapsed.TotalSeconds);
}

var (oneCore, oneCoreSeconds) = Time(1);
Console.WriteLine($"near dedup on 1 core: {oneCore.Counts.Removed} removed in {oneCoreSeconds:F2} s; tallies {string.Join(", ", oneCore.Counts.Tallies.Select(t => $"{t.Key} {t.Value}"))}");
var (result, seconds) = Time(-1);
Console.WriteLine($"near dedup on {Environment.ProcessorCount} cores: {result.Counts.Removed} removed in {seconds:F2} s");

var found = result.Removed.Select(r => (r.Id, r.DuplicateOf ?? 0)).ToHashSet();
var hits = found.Count(planted.Contains);
var precision = found.Count == 0 ? 1 : (double)hits / found.Count;
var recall = planted.Count == 0 ? 1 : (double)hits / planted.Count;
Console.WriteLine($"planted {planted.Count}, removed {found.Count}, of which planted {hits}; hard negatives removed {result.Removed.Count(r => hardNegatives.Contains(r.Id))}");
var scale = 100_000.0 / count;

Console.WriteLine($"examples={count}");
Console.WriteLine($"exact_dedup_seconds={exactSeconds:F2}");
Console.WriteLine($"dedup_seconds_100k_one_core={oneCoreSeconds * scale:F2}");
Console.WriteLine($"dedup_precision={precision:F4}");
Console.WriteLine($"dedup_recall={recall:F4}");
Console.WriteLine($"dedup_seconds_100k={seconds * scale:F2}");
