using System.Net;
using System.Net.Sockets;
using Distill.AppHost;
using Distill.Hosting.Processes;
using Distill.Hosting.Resources;

using Distill.Testing;

namespace Distill.IntegrationTests;

/// <summary>A service given bad configuration says what is wrong in one sentence naming the setting, with no stack trace.</summary>
[Collection(DistillCollection.Name)]
public sealed class ConfigurationErrorTests(DistillAppFixture app)
{
    private const int ConfigurationError = 78;

    [Fact]
    public async Task Missing_connection_strings_are_named_one_by_one()
    {
        await using var worker = Start("Distill.Worker", new Dictionary<string, string?>());

        Assert.Equal(ConfigurationError, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = Lines(worker.Output);
        Assert.Equal(3, lines.Count);
        Assert.StartsWith("ConnectionStrings:distilldb is not set", lines[0]);
        Assert.StartsWith("ConnectionStrings:blobs is not set", lines[1]);
        Assert.StartsWith("ConnectionStrings:messaging is not set", lines[2]);
    }

    [Fact]
    public async Task An_unreachable_broker_is_named_by_its_setting()
    {
        var closedPort = FreePorts.Next();
        await using var worker = Start("Distill.Worker", RealInfrastructureBut(
            ("ConnectionStrings__messaging", $"amqp://distill:wrong-and-secret@127.0.0.1:{closedPort}")));

        Assert.Equal(ConfigurationError, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var sentence = Assert.Single(Lines(worker.Output));
        Assert.StartsWith($"Cannot reach RabbitMQ at 127.0.0.1:{closedPort}, given by ConnectionStrings:messaging", sentence);
        Assert.DoesNotContain("wrong-and-secret", worker.Output);
    }

    [Fact]
    public async Task A_wrong_broker_password_is_named_without_revealing_it()
    {
        var broker = new Uri(app.App.GetConnectionString("messaging"));
        await using var worker = Start("Distill.Worker", RealInfrastructureBut(
            ("ConnectionStrings__messaging", $"amqp://distill:not-the-password@127.0.0.1:{broker.Port}")));

        Assert.Equal(ConfigurationError, await worker.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.StartsWith($"Cannot reach RabbitMQ at 127.0.0.1:{broker.Port}, given by ConnectionStrings:messaging (it refused the user name or password",
            Assert.Single(Lines(worker.Output)));
        Assert.DoesNotContain("not-the-password", worker.Output);
    }

    [Fact]
    public async Task A_port_in_use_is_named()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await using var web = Start("Distill.Web", RealInfrastructureBut(("ASPNETCORE_URLS", $"http://127.0.0.1:{port}")));

        Assert.Equal(ConfigurationError, await web.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"The address http://127.0.0.1:{port} is already in use by another process: choose a free port in ASPNETCORE_URLS", web.Output);
        Assert.DoesNotContain("   at ", web.Output);
    }

    /// <summary>The fixture's working connection strings, with <paramref name="overrides"/> on top.</summary>
    private Dictionary<string, string?> RealInfrastructureBut(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings__distilldb"] = app.App.GetConnectionString("distilldb"),
            ["ConnectionStrings__blobs"] = app.App.GetConnectionString("blobs"),
            ["ConnectionStrings__messaging"] = app.App.GetConnectionString("messaging"),
            ["Startup__DependencyTimeoutSeconds"] = "2",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static ServiceProcess Start(string project, IReadOnlyDictionary<string, string?> environment)
    {
        var service = ServiceProject.Find(typeof(DistillTopology).Assembly, project);
        return ServiceProcess.Start(service.AssemblyPath, [], environment, service.Directory);
    }

    /// <summary>What the service printed that is not ordinary logging.</summary>
    private static List<string> Lines(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("info:") && !l.StartsWith("warn:") && !l.StartsWith("dbug:") && !l.StartsWith("      "))
            .ToList();
        Assert.DoesNotContain(lines, l => l.StartsWith("at ") || l.Contains("Exception"));
        return lines;
    }
}
