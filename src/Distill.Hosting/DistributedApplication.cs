using System.Reflection;
using System.Runtime.InteropServices;
using Distill.Hosting.Processes;
using Distill.Hosting.Resources;

namespace Distill.Hosting;

/// <summary>
/// Runs a declared topology: installs what is missing, starts every resource once its dependencies are ready,
/// reports children that die, and stops everything it started, in order, on Ctrl+C or SIGTERM.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly AppHostOptions _options;
    private readonly IReadOnlyList<Resource> _resources;
    private readonly DataDirectory _data;
    private readonly AppHostConsole _console;
    private readonly HashSet<Resource> _stopping = [];
    private FileStream? _lock;
    private bool _stopped;

    internal DistributedApplication(AppHostOptions options, IReadOnlyList<Resource> resources)
    {
        _options = options;
        _resources = resources;
        _data = new DataDirectory(options.DataDirectory);
        _console = options.Log is null ? AppHostConsole.Default : new AppHostConsole(options.Log, color: false);
        _console.Width = Math.Max(8, resources.Max(r => r.Name.Length) + 1);
    }

    public static DistributedApplicationBuilder CreateBuilder(string[] args, Assembly appHost) => new(AppHostOptions.Parse(args), appHost);

    public static DistributedApplicationBuilder CreateBuilder(AppHostOptions options, Assembly appHost) => new(options, appHost);

    public DataDirectory Data => _data;

    /// <summary>Raised when a process of a resource ends while nobody asked it to.</summary>
    public event Action<string, int>? ResourceDied;

    public string GetConnectionString(string name) =>
        _resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == name)?.ConnectionString
        ?? throw new ArgumentException($"No resource '{name}' has a connection string.", nameof(name));

    public Uri GetEndpoint(string name) => Project(name).Endpoint;

    public IReadOnlyList<int> ProcessIds(string name) => Find(name).Processes.Select(p => p.Pid).ToList();

    /// <summary>Runs until Ctrl+C or SIGTERM; returns the process exit code.</summary>
    public async Task<int> RunAsync()
    {
        using var shutdown = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Handle);
        try
        {
            if (_options.InstallOnly)
            {
                await InstallAsync(shutdown.Token);
                _console.Say("Everything the topology needs is installed.");
                return 0;
            }

            await StartAsync(shutdown.Token);
            var dashboard = _resources.OfType<ProjectResource>().FirstOrDefault(p => p.IsDashboard);
            _console.Say("All resources are healthy.");
            if (dashboard is not null)
            {
                _console.Plain($"Dashboard: {dashboard.Endpoint.ToString().TrimEnd('/')}");
            }

            await Task.Delay(Timeout.Infinite, shutdown.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        catch (DistillHostException ex)
        {
            _console.Say(ex.Message);
            return 1;
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        finally
        {
            await StopAsync();
        }

        void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            if (!shutdown.IsCancellationRequested)
            {
                _console.Say($"{context.Signal} received: stopping everything.");
                shutdown.Cancel();
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        CheckDashboardPort();
        OpenDataDirectory();
        await InstallAsync(cancellationToken);
        var context = new LaunchContext(_console, _data, _options);
        var starts = _resources.Select(r => StartWhenReadyAsync(r, context, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch
        {
            // The first failure is the story; resources that gave up waiting on it add nothing.
            var first = starts.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not DependencyFailedException);
            if (first is DistillHostException or null)
            {
                throw;
            }

            throw new DistillHostException(first.Message, first);
        }
    }

    public Task InstallAsync(CancellationToken cancellationToken) =>
        Installer.EnsureAsync(_resources.SelectMany(r => r.Prerequisites), _console, cancellationToken);

    /// <summary>Stops one resource, gracefully or with SIGKILL, as a crash would.</summary>
    public async Task StopResourceAsync(string name, bool kill = false)
    {
        var resource = Find(name);
        lock (_stopping)
        {
            _stopping.Add(resource);
        }

        if (kill)
        {
            foreach (var process in resource.Processes)
            {
                process.Kill();
                await process.Exited;
            }
        }
        else
        {
            await resource.StopAsync();
        }
    }

    /// <summary>Starts a stopped resource again with the same ports and settings.</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken = default)
    {
        var resource = Find(name);
        lock (_stopping)
        {
            _stopping.Remove(resource);
        }

        resource.ResetReady();
        await StartWhenReadyAsync(resource, new LaunchContext(_console, _data, _options), cancellationToken);
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        lock (_stopping)
        {
            _stopping.UnionWith(_resources);
        }

        // A resource stops once everything that depends on it has stopped: services first, servers last.
        var stops = new Dictionary<Resource, Task>();
        foreach (var resource in _resources)
        {
            _ = StopInOrder(resource);
        }

        await Task.WhenAll(stops.Values);
        _lock?.Dispose();
        if (_options.Ephemeral)
        {
            _data.Delete();
        }

        Task StopInOrder(Resource resource)
        {
            if (!stops.TryGetValue(resource, out var stop))
            {
                var dependents = _resources.Where(r => r.Dependencies.Contains(resource)).Select(StopInOrder).ToList();
                stop = Task.WhenAll(dependents).ContinueWith(_ => resource.StopAsync(), TaskScheduler.Default).Unwrap();
                stops[resource] = stop;
            }

            return stop;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StartWhenReadyAsync(Resource resource, LaunchContext context, CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await Task.WhenAll(resource.Dependencies.Select(d => d.Ready));
            }
            catch (Exception ex)
            {
                throw new DependencyFailedException(resource.Name, ex);
            }

            await resource.StartAsync(context, cancellationToken);
            foreach (var process in resource.Processes)
            {
                _ = WatchAsync(resource, process);
            }

            resource.MarkReady();
        }
        catch (Exception ex)
        {
            resource.MarkFailed(ex);
            throw;
        }
    }

    private async Task WatchAsync(Resource resource, ChildProcess process)
    {
        var exitCode = await process.Exited;
        lock (_stopping)
        {
            if (_stopping.Contains(resource))
            {
                return;
            }
        }

        var last = process.LastLines.LastOrDefault(l => !string.IsNullOrWhiteSpace(l));
        _console.Say($"{resource.Name} (pid {process.Pid}) {Signals.DescribeExit(exitCode)} while running" +
            (last is null ? "." : $"; its last line: {last.Trim()}"));
        ResourceDied?.Invoke(resource.Name, exitCode);
    }

    private void CheckDashboardPort()
    {
        if (_options.DashboardPort is { } port && !FreePorts.IsFree(port))
        {
            throw new DistillHostException($"The dashboard port {port} (--dashboard-port or DISTILL_DASHBOARD_PORT) is already in use by another process: choose another one.");
        }
    }

    /// <summary>Takes the data directory for this launcher alone, and clears out what a crashed one left running.</summary>
    private void OpenDataDirectory()
    {
        if (_options.Reset && Directory.Exists(_data.Root))
        {
            _console.Say($"--reset: deleting every database, queue, blob and log in {_data.Root}");
            _data.Delete();
        }

        Directory.CreateDirectory(_data.Root);
        try
        {
            _lock = new FileStream(Path.Combine(_data.Root, "apphost.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new DistillHostException($"Another Distill AppHost is running with the data directory {_data.Root}: stop it first, or pass --data-dir.");
        }

        foreach (var pid in ProcessTree.WithEnvironment(LaunchContext.OwnerVariable, _data.Root))
        {
            _console.Say($"Stopping process {pid}, left running by an earlier launcher that did not shut down.");
            Signals.Send(pid, Signals.SIGKILL);
        }
    }

    private Resource Find(string name) =>
        _resources.SingleOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No resource is named '{name}'.", nameof(name));

    private ProjectResource Project(string name) =>
        Find(name) as ProjectResource ?? throw new ArgumentException($"'{name}' is not a project.", nameof(name));

    private sealed class DependencyFailedException(string resource, Exception inner)
        : Exception($"{resource} did not start because a resource it waits for failed.", inner);
}
