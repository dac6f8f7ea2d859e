using System.Diagnostics;
using System.Globalization;
using Distill.Bench.GenerateTeacher;
using Distill.Core.Datasets;
using Distill.Core.Teachers;
using Distill.Teachers;
using Distill.Testing.FakeTeacher;

// What our client stack costs per teacher request, beyond the service's own time: TeacherGeneration (the factory's
// IChatClient over the official SDK, the rate limiter, the retry policy) against a bare HttpClient with a
// hand-written body, both at 64 in flight against the in-process fake teacher with zero delay.
// The headline overhead_ms_per_request is the extra CPU our stack spends per request: process CPU time per request
// of the TeacherGeneration legs minus that of the bare-HttpClient legs (the server's work is the same in both, so it
// cancels). Latency minus server handling time is printed too, but at 64 in flight on 2 shared cores it measures
// queueing for the cores (it is roughly 64 / throughput, even for the bare HttpClient), not our code.
// Arguments: [requests] (default 6000), or --layers for the sequential cost of each layer of the stack.
var requests = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 6000;
const int Concurrency = 64;
// The SDK path is thousands of methods: tiered JIT needs many calls, and some time, to bring them all to tier 1.
const int Warmup = 6000;
const int Rounds = 4;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

await using var server = await FakeTeacherServer.StartAsync();
using var http = new HttpClient(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };
var apiKey = server.Options.ApiKey!;
var results = new Dictionary<string, double>();
if (args.Contains("--layers"))
{
    await Layers.RunAsync(server, http);
    return;
}


foreach (var kind in new[] { TeacherKind.OpenAICompatible, TeacherKind.AzureOpenAI })
{
    var teacher = new Teacher
    {
        Name = $"bench-{kind}",
        Kind = kind,
        Endpoint = kind == TeacherKind.AzureOpenAI ? server.AzureEndpoint.ToString() : server.OpenAIEndpoint.ToString(),
        Model = "gpt-fake",
        ApiVersion = "2025-04-01-preview",
        InputPricePerMillion = 2.5m,
        OutputPricePerMillion = 10m,
        MaxConcurrency = Concurrency,
    };
    using var client = new TeacherClientFactory(new TeacherClientOptions { HttpClient = http }).Create(teacher, apiKey);
    var name = kind == TeacherKind.AzureOpenAI ? "azure" : "openai";

    // Warm both paths (JIT up to tier 1, connection pool) before measuring either.
    await RunGenerationAsync(client, Warmup, offset: 1_000_000);
    await RawTeacherCalls.RunAsync(http, teacher, apiKey, Warmup, Concurrency, offset: 2_000_000);

    // Interleaved rounds, alternating which goes first, so drifting load on the shared cores hits both alike.
    double latencyMs = 0, generationServerMs = 0, rawLatencyMs = 0, rawServerMs = 0;
    TimeSpan generationCpu = TimeSpan.Zero, rawCpu = TimeSpan.Zero;
    TimeSpan generationWall = TimeSpan.Zero, rawWall = TimeSpan.Zero;
    var cost = 0m;
    var perRound = requests / Rounds;
    for (var round = 0; round < Rounds; round++)
    {
        for (var leg = 0; leg < 2; leg++)
        {
            server.ResetCounters();
            var clock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            if ((leg == 0) == (round % 2 == 0))
            {
                var (ms, summary) = await RunGenerationAsync(client, perRound, offset: round * perRound);
                generationWall += clock.Elapsed;
                if (summary.Answered != perRound || server.ChatRequests != perRound)
                {
                    throw new InvalidOperationException($"Expected {perRound} answers in as many requests: {summary.Describe()}");
                }

                latencyMs += ms;
                generationCpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                generationServerMs += server.TotalHandlingTime.TotalMilliseconds;
                cost += summary.Cost;
            }
            else
            {
                rawLatencyMs += await RawTeacherCalls.RunAsync(http, teacher, apiKey, perRound, Concurrency, offset: round * perRound);
                rawWall += clock.Elapsed;
                rawCpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
                rawServerMs += server.TotalHandlingTime.TotalMilliseconds;
            }
        }
    }

    requests = perRound * Rounds;
    var overhead = (latencyMs - generationServerMs) / requests;
    var rawOverhead = (rawLatencyMs - rawServerMs) / requests;
    Console.WriteLine($"{name}: TeacherGeneration {requests} requests at {Concurrency} in flight in {generationWall.TotalSeconds:F2} s ({requests / generationWall.TotalSeconds:F0}/s): " +
        $"latency {latencyMs / requests:F3} ms, server {generationServerMs / requests:F3} ms, overhead {overhead:F3} ms per request; cost {cost:F4}");
    Console.WriteLine($"{name}: raw HttpClient {requests} requests at {Concurrency} in flight in {rawWall.TotalSeconds:F2} s ({requests / rawWall.TotalSeconds:F0}/s): " +
        $"latency {rawLatencyMs / requests:F3} ms, server {rawServerMs / requests:F3} ms, overhead {rawOverhead:F3} ms per request");

    // One at a time there is no queueing for the cores, so latency - server time is the pure per-request path.
    const int Sequential = 300;
    server.ResetCounters();
    var (sequentialMs, _) = await RunGenerationAsync(client, Sequential, offset: 3_000_000, concurrency: 1);
    var sequentialServerMs = server.TotalHandlingTime.TotalMilliseconds;
    var rawBefore = server.TotalHandlingTime.TotalMilliseconds;
    var rawSequentialMs = await RawTeacherCalls.RunAsync(http, teacher, apiKey, Sequential, 1, offset: 4_000_000);
    var rawSequentialServerMs = server.TotalHandlingTime.TotalMilliseconds - rawBefore;
    Console.WriteLine($"{name}: one at a time: TeacherGeneration overhead {(sequentialMs - sequentialServerMs) / Sequential:F3} ms, raw HttpClient {(rawSequentialMs - rawSequentialServerMs) / Sequential:F3} ms per request");

    results[$"{name}_requests_per_s"] = requests / generationWall.TotalSeconds;
    results[$"{name}_raw_requests_per_s"] = requests / rawWall.TotalSeconds;
    results[$"{name}_overhead_ms_per_request_sequential"] = (sequentialMs - sequentialServerMs) / Sequential;
    results[$"{name}_raw_overhead_ms_per_request_sequential"] = (rawSequentialMs - rawSequentialServerMs) / Sequential;
    results[$"{name}_latency_overhead_ms_at_64"] = overhead;
    results[$"{name}_raw_latency_overhead_ms_at_64"] = rawOverhead;
    results[$"{name}_cpu_ms_per_request"] = generationCpu.TotalMilliseconds / requests;
    results[$"{name}_raw_cpu_ms_per_request"] = rawCpu.TotalMilliseconds / requests;
    results[$"{name}_overhead_ms_per_request"] = (generationCpu - rawCpu).TotalMilliseconds / requests;
    results[$"{name}_overhead_ratio_vs_raw_http"] = generationCpu / rawCpu;
}

// The headline figures are Azure OpenAI's, the teacher kind most runs use: extra CPU per request, and CPU per request as a ratio to the bare HttpClient's.
results["overhead_ms_per_request"] = results["azure_overhead_ms_per_request"];
results["overhead_ratio_vs_raw_http"] = results["azure_overhead_ratio_vs_raw_http"];
foreach (var (name, value) in results)
{
    Console.WriteLine($"{name}={value:F3}");
}

// The client-observed latency of each answer is the IChatClient call TeacherAnswer.Latency measures.
async Task<(double LatencyMs, TeacherGenerationSummary Summary)> RunGenerationAsync(TeacherClient client, int count, int offset, int concurrency = Concurrency)
{
    var items = Enumerable.Range(offset, count).Select(i => new TeacherWorkItem(
        $"ex-{i}",
        new TeacherRequest([new ExampleMessage(ExampleMessage.System, "Be brief."), new ExampleMessage(ExampleMessage.User, $"Question number {i}")]) { MaxOutputTokens = 64 })).ToList();
    long latencyTicks = 0;
    using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, null, concurrency));
    var generation = new TeacherGeneration(client, new TeacherGenerationOptions { RateLimiter = limiter });
    var summary = await generation.RunAsync(items, (_, answer, _) =>
    {
        Interlocked.Add(ref latencyTicks, answer.Latency.Ticks);
        return ValueTask.CompletedTask;
    });
    return (TimeSpan.FromTicks(latencyTicks).TotalMilliseconds, summary);
}
