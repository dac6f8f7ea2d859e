using Distill.Hosting.Processes;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Distill.Hosting.Resources;

/// <summary>
/// RabbitMQ from Debian's packages with its own Erlang port mapper, both on private ports, so nothing is left
/// listening once it stops and it never collides with a system-wide broker.
/// </summary>
public sealed class RabbitMQServerResource(string name) : Resource(name), IResourceWithConnectionString
{
    private const string Server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string User = "distill";
    private ChildProcess? _epmd;
    private ChildProcess? _broker;

    public int Port { get; } = FreePorts.Next();

    private int DistributionPort { get; } = FreePorts.Next();

    private int PortMapperPort { get; } = FreePorts.Next();

    internal string Password { get; set; } = "";

    public string ConnectionString => $"amqp://{User}:{Password}@127.0.0.1:{Port}";

    public override IEnumerable<ChildProcess> Processes => new[] { _broker, _epmd }.OfType<ChildProcess>();

    public override IEnumerable<Prerequisite> Prerequisites =>
        [new DebianPackage("rabbitmq-server", "RabbitMQ", () => File.Exists(Server))];

    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        Password = context.Data.Secrets().RabbitMQPassword;
        var home = context.Data.RabbitMQ;
        Directory.CreateDirectory(home);
        var config = Path.Combine(home, "rabbitmq.conf");
        // default_user only applies when the node is created; consumer_timeout is raised because a job's message
        // stays unacknowledged while the job runs, which can be hours for training.
        await File.WriteAllTextAsync(config, $"""
            listeners.tcp.default = 127.0.0.1:{Port}
            default_user = {User}
            default_pass = {Password}
            loopback_users = none
            consumer_timeout = 604800000
            """, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await File.WriteAllTextAsync(Path.Combine(home, "enabled_plugins"), "[].\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(home, "rabbitmq-env.conf"), "", cancellationToken);

        _epmd = context.Start(Name, "epmd", ["-port", PortMapperPort.ToString(), "-address", "127.0.0.1"], context.ChildEnvironment());
        _broker = context.Start(Name, Server, [], context.ChildEnvironment(new Dictionary<string, string?>
        {
            // The Erlang cookie is read from and written to $HOME by both server and CLI tools.
            ["HOME"] = home,
            ["RABBITMQ_NODENAME"] = "distill@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = Port.ToString(),
            ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(),
            ["ERL_EPMD_PORT"] = PortMapperPort.ToString(),
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(home, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(home, "log"),
            ["RABBITMQ_LOGS"] = "-",
            ["RABBITMQ_PID_FILE"] = Path.Combine(home, "rabbit.pid"),
            ["RABBITMQ_CONFIG_FILE"] = config,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(home, "enabled_plugins"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(home, "rabbitmq-env.conf"),
            // Debian's /usr/sbin wrapper switches to the 'rabbitmq' user and /var/lib/rabbitmq: call the real scripts.
            ["PATH"] = "/usr/lib/rabbitmq/bin:" + Environment.GetEnvironmentVariable("PATH"),
        }));
        await Waiting.UntilAsync("RabbitMQ", _broker, TimeSpan.FromSeconds(120), AcceptsConnectionsAsync, cancellationToken);
    }

    /// <summary>The server script turns SIGTERM into an orderly node stop; the port mapper goes last.</summary>
    internal override async Task StopAsync()
    {
        if (_broker is not null)
        {
            await _broker.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(6));
        }

        if (_epmd is not null)
        {
            await _epmd.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(1));
        }
    }

    private async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            var factory = new ConnectionFactory { Uri = new Uri(ConnectionString), RequestedConnectionTimeout = TimeSpan.FromSeconds(3) };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            return connection.IsOpen;
        }
        catch (BrokerUnreachableException)
        {
            return false;
        }
    }
}
