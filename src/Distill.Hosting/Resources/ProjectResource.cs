using System.Reflection;
using Distill.Hosting.Processes;

namespace Distill.Hosting.Resources;

/// <summary>
/// A .NET service of the solution, run from its build output with its project folder as content root (as
/// <c>dotnet run</c> does), configured through environment variables in Aspire's format.
/// </summary>
public sealed class ProjectResource(string name, ServiceProject project) : Resource(name)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private ChildProcess? _process;

    public ServiceProject Project { get; } = project;

    public int Port { get; internal set; } = FreePorts.Next();

    public Uri Endpoint => new($"http://127.0.0.1:{Port}");

    public Dictionary<string, string?> Environment { get; } = [];

    /// <summary>Read when the project starts: passwords are only known once the data directory is open.</summary>
    internal Dictionary<string, IResourceWithConnectionString> ConnectionStringSources { get; } = [];

    internal List<ProjectResource> ServiceReferences { get; } = [];

    /// <summary>Where the launcher prints the dashboard link once everything is healthy.</summary>
    public bool IsDashboard { get; internal set; }

    public override IEnumerable<ChildProcess> Processes => _process is null ? [] : [_process];

    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        var environment = context.ChildEnvironment(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = Endpoint.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["DOTNET_ENVIRONMENT"] = "Development",
            ["OTEL_SERVICE_NAME"] = Name,
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        });
        foreach (var variable in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_EXPORTER_OTLP_PROTOCOL" })
        {
            if (System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value)
            {
                environment[variable] = value;
            }
        }

        foreach (var (name, source) in ConnectionStringSources)
        {
            environment[$"ConnectionStrings__{name}"] = source.ConnectionString;
        }

        foreach (var service in ServiceReferences)
        {
            environment[$"services__{service.Name}__http__0"] = service.Endpoint.ToString().TrimEnd('/');
        }

        foreach (var (key, value) in Environment)
        {
            environment[key] = value;
        }

        _process = context.Start(Name, "dotnet", [Project.AssemblyPath], environment, Project.Directory);
        await Waiting.UntilAsync(Name, _process, TimeSpan.FromSeconds(90), IsHealthyAsync, cancellationToken);
    }

    /// <summary>SIGTERM lets the host finish requests and hand running jobs back before it goes.</summary>
    internal override Task StopAsync() => _process?.StopAsync(Signals.SIGTERM, TimeSpan.FromSeconds(7)) ?? Task.CompletedTask;

    private async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Endpoint, "/health"), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}

/// <summary>A project's build output and folder, recorded by the AppHost's build.</summary>
public sealed record ServiceProject(string Name, string AssemblyPath, string Directory)
{
    /// <summary>Reads what the AppHost's build recorded about <paramref name="projectName"/>.</summary>
    public static ServiceProject Find(Assembly appHost, string projectName)
    {
        var recorded = appHost.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == $"distill-project:{projectName}")?.Value
            ?? throw new DistillHostException($"{appHost.GetName().Name} has no ProjectReference to {projectName}.");
        if (recorded.Split('|') is not [var assemblyPath, var projectFile])
        {
            throw new DistillHostException($"The AppHost's record of {projectName} is malformed: {recorded}.");
        }

        return File.Exists(assemblyPath)
            ? new ServiceProject(projectName, assemblyPath, Path.GetDirectoryName(projectFile)!)
            : throw new DistillHostException($"{projectName} is not built ({assemblyPath} is missing): build the AppHost first.");
    }
}

/// <summary>Work done once per start, such as applying migrations, that others wait for.</summary>
public sealed class TaskResource(string name, Func<CancellationToken, Task> work) : Resource(name)
{
    internal override async Task StartAsync(LaunchContext context, CancellationToken cancellationToken)
    {
        context.Console.Line(Name, "running");
        await work(cancellationToken);
        context.Console.Line(Name, "done");
    }
}
