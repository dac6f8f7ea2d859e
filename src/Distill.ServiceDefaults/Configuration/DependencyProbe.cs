using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Distill.ServiceDefaults.Configuration;

/// <summary>
/// Before a service starts, checks that each network dependency it was given answers on its port, so an
/// unreachable broker or database is one sentence naming the setting, not a retry loop buried in logs.
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

    public void Add(string setting, string describes, string host, int port) => _dependencies.Add(new(setting, describes, host, port));

    public async Task EnsureReachableAsync(CancellationToken cancellationToken)
    {
        var failures = await Task.WhenAll(_dependencies.Select(d => WaitForAsync(d, cancellationToken)));
        var first = failures.FirstOrDefault(f => f is not null);
        if (first is not null)
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
                using var client = new TcpClient();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(TimeSpan.FromSeconds(3));
                await client.ConnectAsync(dependency.Host, dependency.Port, attempt.Token);
                return null;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    var reason = ex is SocketException socket ? socket.SocketErrorCode.ToString() : "no answer";
                    return $"Cannot reach {dependency.Describes} at {dependency.Host}:{dependency.Port}, given by {dependency.Setting} " +
                        $"({reason} for {Timeout.TotalSeconds:0} s): check that it is running and that the setting is right.";
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private sealed record Dependency(string Setting, string Describes, string Host, int Port);
}
