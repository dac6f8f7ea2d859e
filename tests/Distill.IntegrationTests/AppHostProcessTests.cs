using System.Diagnostics;
using System.Reflection;
using System.Net;
using System.Net.Sockets;
using Distill.AppHost;
using Distill.Hosting;
using Distill.Hosting.Processes;

using Distill.Testing;

namespace Distill.IntegrationTests;

/// <summary>The launcher as a person runs it: <c>dotnet run --project src/Distill.AppHost</c>.</summary>
[Collection(DistillCollection.Name)]
public sealed class AppHostProcessTests
{
    /// <summary>The AppHost's own build output: its copy in the test folder runs with the test's dependency manifest.</summary>
    private static readonly string AppHost = Path.Combine(
        AppHostOptions.RepositoryRoot(), "src", "Distill.AppHost", "bin",
        typeof(AppHostProcessTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration,
        "net10.0", "Distill.AppHost.dll");

    [Fact]
    public async Task Sigterm_stops_every_child_and_frees_every_port_within_15_seconds()
    {
        var data = new DataDirectory(Path.Combine(Path.GetTempPath(), "distill-apphost-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            await using var appHost = ServiceProcess.Start(AppHost, ["--data-dir", data.Root], new Dictionary<string, string?>());
            var dashboard = new Uri((await appHost.WaitForLineAsync("Dashboard: http://127.0.0.1:", TimeSpan.FromMinutes(4))).Split("Dashboard: ")[1].Trim());
            var children = ProcessTree.Descendants(appHost.Pid);
            var ports = ListeningPorts.Of(children);
            Assert.Contains(dashboard.Port, ports);
            Assert.True(ports.Count >= 8, $"Expected Postgres, RabbitMQ (AMQP, distribution, port mapper), Azurite and three services to listen; found {string.Join(", ", ports)}.");
            using (var http = new HttpClient())
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(dashboard, "/health"))).StatusCode);
            }

            var stopping = Stopwatch.StartNew();
            Signals(appHost.Pid, "TERM");
            Assert.Equal(0, await appHost.WaitForExitAsync(TimeSpan.FromSeconds(15)));
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(15), $"Stopping took {stopping.Elapsed}.");

            Assert.DoesNotContain(children, IsRunning);
            Assert.DoesNotContain(ports, ListeningPorts.IsListening);
        }
        finally
        {
            data.Delete();
        }
    }

    [Fact]
    public async Task A_dashboard_port_in_use_is_one_sentence()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var data = Path.Combine(Path.GetTempPath(), "distill-apphost-" + Guid.NewGuid().ToString("N")[..8]);

        await using var appHost = ServiceProcess.Start(AppHost, ["--data-dir", data, "--dashboard-port", port.ToString()], new Dictionary<string, string?>());

        Assert.Equal(1, await appHost.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"The dashboard port {port} (--dashboard-port or DISTILL_DASHBOARD_PORT) is already in use by another process", appHost.Output);
        Assert.DoesNotContain("   at ", appHost.Output);
        Assert.False(Directory.Exists(data), "Nothing should be created before the configuration is known to be good.");
    }

    private static bool IsRunning(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z');

    private static void Signals(int pid, string signal) => Process.Start("kill", [$"-{signal}", pid.ToString()])!.WaitForExit();
}
