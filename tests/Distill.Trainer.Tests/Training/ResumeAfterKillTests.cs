using System.Reflection;
using System.Text.Json;
using Distill.Testing;
using Distill.Trainer.Tests.Checkpoints;
using Distill.Trainer.Training;

namespace Distill.Trainer.Tests.Training;

/// <summary>A training process killed with SIGKILL and started again ends with the curve of a run never interrupted.</summary>
public sealed class ResumeAfterKillTests
{
    private const int Steps = 40;
    private const int CheckpointEvery = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_run_killed_mid_training_resumes_from_its_last_checkpoint_and_reproduces_the_uninterrupted_curve()
    {
        using var uninterrupted = new TemporaryDirectory();
        using var interrupted = new TemporaryDirectory();
        await RunToEndAsync(uninterrupted.Path);

        await using (var first = Start(interrupted.Path))
        {
            await first.WaitForLineAsync("step 12", Patience);
            await first.KillAsync();
        }

        var killedAt = new DirectoryCheckpoints(interrupted.Path).LatestStep;
        Assert.InRange(killedAt ?? 0, CheckpointEvery, Steps - CheckpointEvery);
        var resumed = await RunToEndAsync(interrupted.Path);

        Assert.Contains($"resuming after step {killedAt}", resumed);
        Assert.Equal(ReadCurve(uninterrupted.Path), ReadCurve(interrupted.Path));
    }

    private static async Task<string> RunToEndAsync(string directory)
    {
        await using var run = Start(directory);
        var exitCode = await run.WaitForExitAsync(Patience);
        Assert.True(exitCode == 0, $"The training process failed:\n{run.Output}");
        return run.Output;
    }

    private static IReadOnlyList<double> ReadCurve(string directory) =>
        JsonSerializer.Deserialize<List<TrainingStep>>(File.ReadAllText(Path.Combine(directory, "history.json")))!.Select(s => s.Loss).ToList();

    private static ServiceProcess Start(string directory)
    {
        // The process's own build output: its copy among the test's files would run with the test's dependency manifest.
        var configuration = typeof(ResumeAfterKillTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Distill.sln")))
        {
            repository = repository.Parent!;
        }

        var program = Path.Combine(repository.FullName, "tests", "Distill.Trainer.TrainingProcess", "bin", configuration, "net10.0", "linux-x64", "Distill.Trainer.TrainingProcess.dll");
        return ServiceProcess.Start(program, [directory, Steps.ToString(), CheckpointEvery.ToString()], new Dictionary<string, string?>());
    }
}
