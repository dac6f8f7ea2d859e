using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RabbitMQ.Client.Exceptions;

namespace Distill.ServiceDefaults.Configuration;

/// <summary>
/// Before a service starts, connects to each dependency it was given (logging in where there is a login), so
/// an unreachable broker or a wrong password is one sentence naming the setting, not a retry loop in the logs.
/// </summary>
public sealed class DependencyProbe
{
    private readonly List<Dependency> _dependencies = [];

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public static DependencyProbe Of(IHostApplicationBuilder builder)
    {
        var probe = builder.Properties.Shared<DependencyProbe>();
        if (builder.Configuration.GetValue<int?>("Startup:DependencyTimeoutSeconds") is { } seconds)
        {
            probe.Timeout = TimeSpan.FromSeconds(seconds);
        }

        return probe;
    }

    /// <param name="connect">Opens and closes one connection; throws when that is impossible.</param>
    public void Add(string setting, string describes, string address, Func<CancellationToken, Task> connect) =>
        _dependencies.Add(new(setting, describes, address, connect));

    public void AddTcp(string setting, string describes, string host, int port) =>
        Add(setting, describes, $"{host}:{port}", async cancellationToken =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, cancellationToken);
        });

    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        var failures = await Task.WhenAll(_dependencies.Select(d => WaitForAsync(d, cancellationToken)));
        if (failures.FirstOrDefault(f => f is not null) is { } first)
        {
            throw new DistillConfigurationException(first);
        }
    }

    private async Task<string?> WaitForAsync(Dependency dependency, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(5));
                await dependency.Connect(attempt.Token);
                return null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    return $"Cannot reach {dependency.Describes} at {dependency.Address}, given by {dependency.Setting} " +
                        $"({Reason(ex)}, for {Timeout.TotalSeconds:0} s): check that it is running and that the setting is right.";
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static string Reason(Exception exception) => exception switch
    {
        SocketException socket => socket.SocketErrorCode.ToString(),
        PostgresException { SqlState: "28P01" or "28000" } => "it refused the user name or password",
        PostgresException postgres => postgres.MessageText,
        BrokerUnreachableException { InnerException: AuthenticationFailureException } => "it refused the user name or password",
        OperationCanceledException => "no answer",
        { InnerException: { } inner } => Reason(inner),
        _ => exception.Message.Split('\n')[0].TrimEnd('.'),
    };

    private sealed record Dependency(string Setting, string Describes, string Address, Func<CancellationToken, Task> Connect);
}
