using System.Diagnostics;
using System.Globalization;
using Distill.Trainer.Models;
using Distill.Trainer.Runtime;
using Distill.Trainer.Training;
using static TorchSharp.torch;

// Training throughput of Distill (TorchSharp + libtorch) against PyTorch (Debian's torch 1.13 with OpenBLAS) on the
// same Llama-style model and the same step: forward, masked cross-entropy over every token, backward, AdamW, zero grad.
// Every run is a fresh child process (warmup steps, then timed steps). Distill and PyTorch runs are interleaved, so
// both see the same machine state (other builds may share the 2 cores), and the medians of 5 runs are compared. The
// same pair is also run in a tuned environment (see Benchmark.Variants) to show what the machine's setup is worth.
// The key figures come last as name=value lines.
//
//   (no arguments)   the whole benchmark
//   --distill-run    one Distill training run, as the benchmark starts it
//   --gemm           only the fp32 GEMM peak

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
// As the Trainer does at start: libtorch loaded the way Distill configures it, before the first tensor.
TorchRuntime.EnsureLoaded();
set_num_threads(Shape.Threads);
if (args.Contains("--distill-run"))
{
    DistillRun.Run();
}
else if (args.Contains("--gemm"))
{
    Console.WriteLine($"gemm_peak_gflops={Gemm.PeakGflops():F1}");
}
else
{
    Benchmark.Run();
}

/// <summary>The model and step both sides train; PyTorch gets the same numbers on its command line.</summary>
internal static class Shape
{
    public const int Threads = 2;
    public const int Batch = 8;
    public const int Sequence = 256;
    public const double LearningRate = 3e-4;
    public const double WeightDecay = 0.1;
    public const int WarmupSteps = 2;
    public const int TimedSteps = 8;
    public const int Seed = 1;

    public static readonly ModelConfig Config = new()
    {
        Family = ModelFamily.Llama, VocabSize = 8192, HiddenSize = 256, IntermediateSize = 688, NumLayers = 4,
        NumHeads = 8, NumKeyValueHeads = 4, HeadDim = 32, MaxPositionEmbeddings = Sequence, RmsNormEps = 1e-6, RopeTheta = 10000,
    };

    public static long TokensPerStep => (long)Batch * Sequence;

    public static string PyTorchArguments => string.Join(' ',
        $"--vocab {Config.VocabSize} --hidden {Config.HiddenSize} --intermediate {Config.IntermediateSize}",
        $"--layers {Config.NumLayers} --heads {Config.NumHeads} --kv-heads {Config.NumKeyValueHeads}",
        $"--eps {Config.RmsNormEps} --rope-theta {Config.RopeTheta} --seq {Sequence} --batch {Batch}",
        $"--lr {LearningRate} --weight-decay {WeightDecay} --warmup {WarmupSteps} --steps {TimedSteps} --threads {Threads} --seed {Seed}");
}

/// <summary>One Distill training run through the real code path: LlamaForCausalLM, DistillationLosses.CrossEntropy, AdamW.</summary>
internal static class DistillRun
{
    public static void Run()
    {
        // The same seed and construction order as pytorch_train.py: both libtorch generators then draw the same
        // initial weights and tokens, so the two losses must agree step for step (a check that the math is the same).
        manual_seed(Shape.Seed);
        using var model = new LlamaForCausalLM(Shape.Config);
        model.train();
        using var optimizer = new AdamW(model.named_parameters().Select(p => (p.name, p.parameter)), beta1: 0.9, beta2: 0.95, weightDecay: Shape.WeightDecay);
        using var tokens = randint(0, Shape.Config.VocabSize, [Shape.Batch, Shape.Sequence + 1]);
        using var inputIds = tokens.narrow(1, 0, Shape.Sequence).contiguous();
        using var targets = tokens.narrow(1, 1, Shape.Sequence).contiguous();
        using var mask = ones([Shape.Batch, Shape.Sequence], ScalarType.Bool);

        string[] phases = ["forward", "loss", "backward", "optimizer"];
        var timings = new List<double[]>();
        var losses = new List<float>();
        var clock = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        for (var step = 0; step < Shape.WarmupSteps + Shape.TimedSteps; step++)
        {
            if (step == Shape.WarmupSteps)
            {
                cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                clock.Restart();
            }

            // libtorch runs CPU ops synchronously, so a stopwatch around each phase times its work.
            using var scope = NewDisposeScope();
            var milliseconds = new double[phases.Length];
            var lap = Stopwatch.StartNew();
            var output = model.Forward(inputIds);
            milliseconds[0] = lap.Elapsed.TotalMilliseconds;
            lap.Restart();
            var loss = DistillationLosses.CrossEntropy(output.Logits, targets, mask);
            milliseconds[1] = lap.Elapsed.TotalMilliseconds;
            lap.Restart();
            loss.backward();
            milliseconds[2] = lap.Elapsed.TotalMilliseconds;
            lap.Restart();
            optimizer.Step(Shape.LearningRate);
            optimizer.ZeroGrad();
            losses.Add(loss.item<float>());
            milliseconds[3] = lap.Elapsed.TotalMilliseconds;
            if (step >= Shape.WarmupSteps)
            {
                timings.Add(milliseconds);
            }
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        // The share of the 2 cores this process got: near 1 on an idle machine, lower when other processes ran.
        var cpuShare = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds / (elapsed * Shape.Threads);
        // Medians per phase: a burst of load elsewhere moves them less than means.
        Console.WriteLine("phases=median " + string.Join(", ", phases.Select((name, i) => $"{name} {timings.Select(t => t[i]).Order().ElementAt(timings.Count / 2):F0}")) + " ms");
        Console.WriteLine($"step_ms={string.Join(' ', timings.Select(t => t.Sum().ToString("F0")))}");
        Console.WriteLine($"params={model.parameters().Sum(p => p.numel())}");
        Console.WriteLine($"embedding_params={model.Backbone.Embeddings.weight!.numel()}");
        Console.WriteLine($"final_loss={losses[^1]:F5}");
        Console.WriteLine($"cpu_share={cpuShare:F2}");
        Console.WriteLine($"tokens_per_s={Shape.TimedSteps * Shape.TokensPerStep / elapsed:F1}");
    }
}

internal static class Gemm
{
    /// <summary>
    /// The best fp32 matmul rate libtorch reaches here: a 4096-square product (large enough that packing and
    /// threading overheads vanish), best of several so a moment of contention from other processes does not count.
    /// </summary>
    public static double PeakGflops(int size = 4096, int repeats = 6)
    {
        using var a = randn(size, size);
        using var b = randn(size, size);
        using var c = empty(size, size);
        var best = double.MaxValue;
        for (var i = 0; i <= repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            // c = a b in place (beta 0): one sgemm, no 64 MB result to allocate and fault in each time.
            c.addmm_(a, b, beta: 0);
            // The first product warms the threads and pages up; it does not count.
            best = i == 0 ? best : Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return 2.0 * size * size * size / best / 1e9;
    }
}

internal static class Benchmark
{
    private const int Rounds = 5;

    // Variables that change how either side allocates or waits: cleared for the default runs, so that those measure
    // the machine as it is whatever the caller's environment holds.
    private static readonly string[] TuningVariables = ["GLIBC_TUNABLES", "OMP_WAIT_POLICY", "THP_MEM_ALLOC_ENABLE"];

    // The key figures compare both sides as installed. The tuned pair shows what the environment is worth: on this
    // VM a first-touched 4 KiB page costs microseconds, and each step allocates several logits-sized (64 MiB) buffers
    // afresh, so glibc's transparent-huge-page tunable speeds up both sides alike. PyTorch also gets
    // OMP_WAIT_POLICY=PASSIVE: Debian's torch runs OpenMP threads beside pthread OpenBLAS's own, and the OpenMP threads
    // spin on the cores the BLAS threads need. Distill does not need it (libtorch's MKL runs on the OpenMP threads
    // themselves) and is a little slower with it, so it does not get it.
    private static readonly Variant[] Variants =
    [
        new("distill", IsDistill: true, []),
        new("pytorch", IsDistill: false, []),
        new("distill_tuned", IsDistill: true, new() { ["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1" }),
        new("pytorch_tuned", IsDistill: false, new() { ["GLIBC_TUNABLES"] = "glibc.malloc.hugetlb=1", ["OMP_WAIT_POLICY"] = "PASSIVE" }),
    ];

    public static void Run()
    {
        var c = Shape.Config;
        Console.WriteLine($"{Environment.ProcessorCount} cores, {get_num_threads()} libtorch threads; model: vocab {c.VocabSize}, hidden {c.HiddenSize}, " +
            $"{c.NumLayers} layers, {c.NumHeads} heads ({c.NumKeyValueHeads} kv heads), SwiGLU {c.IntermediateSize}, untied head, fp32");
        Console.WriteLine($"batch {Shape.Batch} x seq {Shape.Sequence}; {Shape.WarmupSteps} warmup + {Shape.TimedSteps} timed steps per run; " +
            $"{Rounds} runs of each of {string.Join(", ", Variants.Select(v => v.Name))}");

        var gemmPeaks = new List<double> { Gemm.PeakGflops() };
        Console.WriteLine($"fp32 GEMM 4096^3: {gemmPeaks[0]:F1} GFLOP/s");

        var results = Variants.ToDictionary(v => v.Name, _ => new List<RunResult>());
        for (var round = 0; round < Rounds; round++)
        {
            // Each round starts one variant later, so no variant always runs right after another one: a drift in
            // the machine's load (other builds share these 2 cores) does not favour any.
            for (var i = 0; i < Variants.Length; i++)
            {
                var variant = Variants[(round + i) % Variants.Length];
                var result = Launch(variant);
                results[variant.Name].Add(result);
                if (round == 0 && !variant.IsDistill && variant.Environment.Count == 0)
                {
                    Console.WriteLine($"PyTorch {result.Text("torch")}, BLAS {result.Text("blas")}");
                }

                Console.WriteLine($"round {round + 1} {variant.Name,-13} {result.Value("tokens_per_s"),7:F1} tokens/s, cpu share {result.Value("cpu_share"):F2}; " +
                    $"{result.Text("phases")}; step ms {result.Text("step_ms")}");
            }
        }

        gemmPeaks.Add(Gemm.PeakGflops());
        Console.WriteLine($"fp32 GEMM 4096^3 after the runs: {gemmPeaks[1]:F1} GFLOP/s");

        var (distill, pytorch) = (results["distill"][0], results["pytorch"][0]);
        var (parameters, embedding) = ((long)distill.Value("params"), (long)distill.Value("embedding_params"));
        if ((long)pytorch.Value("params") != parameters || (long)pytorch.Value("embedding_params") != embedding)
        {
            throw new InvalidOperationException($"PyTorch's model has {pytorch.Value("params")} parameters, Distill's {parameters}: the models differ.");
        }

        Console.WriteLine($"parameters: {parameters}, of which {embedding} in the input embedding");

        // Same seed, same initial weights, same tokens, same math: the losses after the same steps must agree up to
        // float rounding (the two libraries sum in different orders).
        var lossGap = Math.Abs(distill.Value("final_loss") - pytorch.Value("final_loss"));
        Console.WriteLine($"loss after {Shape.WarmupSteps + Shape.TimedSteps} steps: distill {distill.Value("final_loss"):F5}, " +
            $"pytorch {pytorch.Value("final_loss"):F5} (gap {lossGap:E1})");
        if (lossGap > 1e-2)
        {
            throw new InvalidOperationException("Distill and PyTorch do not compute the same training step: their losses diverge.");
        }

        var median = results.ToDictionary(r => r.Key, r => Median(r.Value.Select(run => run.Value("tokens_per_s"))));
        var peak = gemmPeaks.Max();
        // 6 x params x tokens: 2 FLOPs per parameter per token forward, 4 backward. The issue's formula counts every
        // parameter, the input embedding too, although looking it up is no matmul: mfu_non_embedding leaves it out.
        double Mfu(double tokensPerSecond, long counted) => 6.0 * counted * tokensPerSecond / (peak * 1e9);

        Console.WriteLine($"train_tokens_per_s_tuned={median["distill_tuned"]:F1}");
        Console.WriteLine($"pytorch_train_tokens_per_s_tuned={median["pytorch_tuned"]:F1}");
        Console.WriteLine($"train_ratio_vs_pytorch_tuned={median["distill_tuned"] / median["pytorch_tuned"]:F3}");
        Console.WriteLine($"mfu_tuned={Mfu(median["distill_tuned"], parameters):F3}");
        Console.WriteLine($"mfu_non_embedding={Mfu(median["distill"], parameters - embedding):F3}");
        Console.WriteLine($"gemm_peak_gflops={peak:F1}");
        Console.WriteLine($"params={parameters}");
        Console.WriteLine($"train_tokens_per_s={median["distill"]:F1}");
        Console.WriteLine($"pytorch_train_tokens_per_s={median["pytorch"]:F1}");
        Console.WriteLine($"train_ratio_vs_pytorch={median["distill"] / median["pytorch"]:F3}");
        Console.WriteLine($"mfu={Mfu(median["distill"], parameters):F3}");
    }

    /// <summary>Runs one training run as a child process and reads the name=value lines it prints.</summary>
    private static RunResult Launch(Variant variant)
    {
        var (program, arguments) = variant.IsDistill
            ? ("dotnet", $"\"{typeof(Benchmark).Assembly.Location}\" --distill-run")
            : ("/usr/bin/python3", $"\"{Path.Combine(AppContext.BaseDirectory, "pytorch_train.py")}\" {Shape.PyTorchArguments}");
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var name in TuningVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in variant.Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"The {variant.Name} run ({program} {arguments}) failed with exit code {process.ExitCode}:\n{output}\n{errors.Result}");
        }

        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains('='))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        return new RunResult(variant.Name, values);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record Variant(string Name, bool IsDistill, Dictionary<string, string> Environment);

    private sealed record RunResult(string Variant, IReadOnlyDictionary<string, string> Values)
    {
        public string Text(string name) =>
            Values.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The {Variant} run printed no {name}=.");

        public double Value(string name) => double.Parse(Text(name), CultureInfo.InvariantCulture);
    }
}
