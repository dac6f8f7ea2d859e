using Distill.Hosting.Processes;

namespace Distill.Hosting.Resources;

/// <summary>Something the launcher starts, waits for, and stops: a server process, a service, a one-off task.</summary>
public abstract class Resource(string name)
{
    private TaskCompletionSource _ready = NewReady();

    public string Name { get; } = name;

    /// <summary>Resources that must be ready before this one starts.</summary>
    public List<Resource> Dependencies { get; } = [];

    public Task Ready => _ready.Task;

    /// <summary>The processes this resource runs now, for supervision.</summary>
    public virtual IEnumerable<ChildProcess> Processes => [];

    /// <summary>Debian or npm packages this resource needs on the machine.</summary>
    public virtual IEnumerable<Prerequisite> Prerequisites => [];

    /// <summary>Starts the resource and returns once it is usable.</summary>
    internal abstract Task StartAsync(LaunchContext context, CancellationToken cancellationToken);

    /// <summary>Stops what <see cref="StartAsync"/> started, forcefully once its grace period is over.</summary>
    internal virtual Task StopAsync() => Task.WhenAll(Processes.Select(p => p.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(5))));

    internal void MarkReady() => _ready.TrySetResult();

    internal void MarkFailed(Exception exception) => _ready.TrySetException(exception);

    internal void ResetReady() => _ready = NewReady();

    private static TaskCompletionSource NewReady() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A resource other resources reach through a connection string (<c>ConnectionStrings__{Name}</c>).</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    string ConnectionString { get; }
}

/// <summary>What a resource needs from the launcher while it starts.</summary>
internal sealed record LaunchContext(AppHostConsole Console, DataDirectory Data, AppHostOptions Options)
{
    /// <summary>Marks every child with the data directory, so a later launcher can find what a crashed one left behind.</summary>
    public const string OwnerVariable = "DISTILL_APPHOST_DATA";

    public Dictionary<string, string?> ChildEnvironment(IEnumerable<KeyValuePair<string, string?>>? extra = null)
    {
        var environment = new Dictionary<string, string?> { [OwnerVariable] = Data.Root };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    public ChildProcess Start(string resource, string fileName, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null) =>
        ChildProcess.Start(new ChildProcessSpec(resource, fileName, arguments, workingDirectory, environment), Console, Data.LogFile(resource));
}

internal static class Waiting
{
    /// <summary>Polls <paramref name="ready"/> until it holds, the process dies, or the time is up.</summary>
    public static async Task UntilAsync(string what, ChildProcess process, TimeSpan timeout, Func<CancellationToken, Task<bool>> ready, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await ready(cancellationToken))
        {
            if (process.HasExited)
            {
                var last = process.LastLines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l));
                throw new DistillHostException($"{what} {Signals.DescribeExit(await process.Exited)} before it was ready" +
                    (last is null ? "." : $"; its last words: {last.Trim()}"));
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new DistillHostException($"{what} was not ready after {timeout.TotalSeconds:0} s; its log is in {process.Name}.log under the data directory.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }
}
