using Distill.Hosting;
using Distill.Hosting.Processes;

namespace Distill.UnitTests;

public sealed class LauncherTests
{
    [Theory]
    [InlineData(0, "exited normally (code 0)")]
    [InlineData(78, "exited with code 78")]
    [InlineData(137, "was killed by signal 9 (SIGKILL)")]
    [InlineData(143, "was killed by signal 15 (SIGTERM)")]
    public void Exit_codes_are_told_as_a_person_reads_them(int code, string expected) =>
        Assert.Equal(expected, Signals.DescribeExit(code));

    [Theory]
    [InlineData(new[] { "--dashboard-port", "http" }, "--dashboard-port expects a port number")]
    [InlineData(new[] { "--dashboard-port", "70000" }, "--dashboard-port expects a port number")]
    [InlineData(new[] { "--rest" }, "Unknown option '--rest'")]
    public void Bad_options_are_one_sentence(string[] args, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<DistillHostException>(() => AppHostOptions.Parse(args)).Message);

    [Fact]
    public void Options_are_read_from_arguments()
    {
        var options = AppHostOptions.Parse(["--reset", "--data-dir", "/tmp/distill-x", "--dashboard-port", "5080"]);
        Assert.True(options.Reset);
        Assert.Equal("/tmp/distill-x", options.DataDirectory);
        Assert.Equal(5080, options.DashboardPort);
    }

    [Fact]
    public async Task A_child_is_streamed_with_its_prefix_and_its_exit_is_kept()
    {
        var output = new StringWriter();
        var child = ChildProcess.Start(
            new ChildProcessSpec("probe", "sh", ["-c", "echo hello; echo oops >&2; exit 3"], null, new Dictionary<string, string?>()),
            new AppHostConsole(output, color: false), null);

        Assert.Equal(3, await child.Exited);
        Assert.Contains("probe   | hello", output.ToString());
        Assert.Contains("probe   | oops", output.ToString());
        Assert.Contains("oops", child.LastLines);
    }

    [Fact]
    public async Task A_child_that_ignores_sigterm_is_killed_with_its_descendants_after_the_grace_period()
    {
        var child = ChildProcess.Start(
            new ChildProcessSpec("stubborn", "sh", ["-c", "trap '' TERM; sleep 60 & wait; wait"], null, new Dictionary<string, string?>()),
            new AppHostConsole(TextWriter.Null, color: false), null);
        await Eventually(() => ProcessTree.Descendants(child.Pid).Count > 0);
        var sleeper = ProcessTree.Descendants(child.Pid).Single();

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await child.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(1));

        Assert.InRange(stopping.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(10));
        Assert.True(child.HasExited);
        await Eventually(() => !Signals.IsAlive(sleeper) || IsZombie(sleeper));
    }

    [Fact]
    public void Secrets_are_generated_once_and_kept_private()
    {
        var root = Path.Combine(Path.GetTempPath(), "distill-unit-" + Guid.NewGuid().ToString("N"));
        try
        {
            var data = new DataDirectory(root);
            var first = data.Secrets();
            Assert.Equal(first, new DataDirectory(root).Secrets());
            Assert.Equal(32, first.PostgresPassword.Length);
            Assert.NotEqual(first.PostgresPassword, first.RabbitMQPassword);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(root, "secrets.json")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Free_ports_are_not_handed_out_twice()
    {
        var ports = Enumerable.Range(0, 50).Select(_ => FreePorts.Next()).ToList();
        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, p => Assert.True(FreePorts.IsFree(p)));
    }

    private static bool IsZombie(int pid) =>
        File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
