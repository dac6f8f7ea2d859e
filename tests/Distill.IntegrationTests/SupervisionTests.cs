using System.Diagnostics;

namespace Distill.IntegrationTests;

/// <summary>The launcher watches what it started and says which child died and why.</summary>
[Collection(DistillCollection.Name)]
public sealed class SupervisionTests(DistillAppFixture app)
{
    [Fact]
    public async Task A_child_killed_behind_the_launchers_back_is_reported_by_name_and_cause()
    {
        var died = new TaskCompletionSource<(string Name, int ExitCode)>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnDied(string name, int exitCode) => died.TrySetResult((name, exitCode));
        var pid = Assert.Single(app.App.ProcessIds("trainer"));
        app.App.ResourceDied += OnDied;
        try
        {
            Process.Start("kill", ["-KILL", pid.ToString()])!.WaitForExit();

            var (name, exitCode) = await died.Task.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal("trainer", name);
            Assert.Equal(137, exitCode);
            Assert.Contains($"trainer (pid {pid}) was killed by signal 9 (SIGKILL) while running", DistillAppFixture.ReadLog());
        }
        finally
        {
            app.App.ResourceDied -= OnDied;
            await app.App.StartResourceAsync("trainer");
        }
    }
}
