using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Distill.Trainer.Tests.Checkpoints;
using Distill.Trainer.Training;

namespace Distill.Trainer.Tests.Training;

/// <summary>A training process killed with SIGKILL and started again ends with the curve of a run never interrupted.</summary>
public sealed class ResumeAfterKillTests
{
    private const int Steps = 40;
    private const int CheckpointEvery = 5;

    [Fact]
    public async Task A_run_killed_mid_training_resumes_from_its_last_checkpoint_and_reproduces_the_uninterrupted_curve()
    {
        using var uninterrupted = new TemporaryDirectory();
        using var interrupted = new TemporaryDirectory();
        await RunToEndAsync(uninterrupted.Path);

        using (var first = Start(interrupted.Path))
        {
            await first.WaitForLineAsync("step 12");
            first.Process.Kill();
            await first.Process.WaitForExitAsync();
        }

        var killedAt = new DirectoryCheckpoints(interrupted.Path).LatestStep;
        Assert.InRange(killedAt ?? 0, CheckpointEvery, Steps - CheckpointEvery);
        var resumed = await RunToEndAsync(interrupted.Path);

        Assert.Contains($"resuming after step {killedAt}", resumed);
        Assert.Equal(ReadCurve(uninterrupted.Path), ReadCurve(interrupted.Path));
    }

    private static async Task<string> RunToEndAsync(string directory)
    {
        using var run = Start(directory);
        await run.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(run.Process.ExitCode == 0, $"The training process failed:\n{run.Output}");
        return run.Output;
    }

    private static IReadOnlyList<double> ReadCurve(string directory) =>
        JsonSerializer.Deserialize<List<TrainingStep>>(File.ReadAllText(Path.Combine(directory, "history.json")))!.Select(s => s.Loss).ToList();

    private static TrainingRun Start(string directory)
    {
        // The process's own build output: its copy among the test's files would run with the test's dependency manifest.
        var configuration = typeof(ResumeAfterKillTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Distill.sln")))
        {
            repository = repository.Parent!;
        }

        var program = Path.Combine(repository.FullName, "tests", "Distill.Trainer.TrainingProcess", "bin", configuration, "net10.0", "linux-x64", "Distill.Trainer.TrainingProcess.dll");
        return new TrainingRun(Process.Start(new ProcessStartInfo("dotnet", [program, directory, Steps.ToString(), CheckpointEvery.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!);
    }

    private sealed class TrainingRun : IDisposable
    {
        private readonly System.Text.StringBuilder _output = new();
        private readonly List<(string Line, TaskCompletionSource Seen)> _waits = [];

        public TrainingRun(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Received(e.Data);
            process.ErrorDataReceived += (_, e) => Received(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public Task WaitForLineAsync(string line)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_output)
            {
                _waits.Add((line, seen));
            }

            return seen.Task.WaitAsync(TimeSpan.FromMinutes(2));
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill();
            }

            Process.Dispose();
        }

        private void Received(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
                foreach (var wait in _waits.Where(w => w.Line == line))
                {
                    wait.Seen.TrySetResult();
                }
            }
        }
    }
}
