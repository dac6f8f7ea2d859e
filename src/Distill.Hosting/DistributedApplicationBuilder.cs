using System.Reflection;
using Distill.Hosting.Resources;

namespace Distill.Hosting;

/// <summary>Declares the topology: which servers and services exist and how they reach each other.</summary>
public sealed class DistributedApplicationBuilder(AppHostOptions options, Assembly appHost)
{
    public AppHostOptions Options { get; } = options;

    public List<Resource> Resources { get; } = [];

    public T Resource<T>(string name) where T : Resource => Resources.OfType<T>().Single(r => r.Name == name);

    public PostgresServerResource AddPostgres(string name) => Add(new PostgresServerResource(name));

    public PostgresDatabaseResource AddDatabase(PostgresServerResource server, string name, string databaseName) =>
        Add(server.AddDatabase(name, databaseName));

    public RabbitMQServerResource AddRabbitMQ(string name) => Add(new RabbitMQServerResource(name));

    public AzuriteResource AddAzurite(string name) => Add(new AzuriteResource(name, Options.ToolsDirectory));

    public AzuriteBlobsResource AddBlobs(AzuriteResource emulator, string name) => Add(emulator.AddBlobs(name));

    public TaskResource AddTask(string name, Func<CancellationToken, Task> work) => Add(new TaskResource(name, work));

    /// <summary>A service project referenced by the AppHost; its build output was recorded at build time.</summary>
    public ProjectResource AddProject(string name, string projectName) =>
        Add(new ProjectResource(name, ServiceProject.Find(appHost, projectName)));

    public DistributedApplication Build()
    {
        if (Options.DashboardPort is { } port)
        {
            var dashboard = Resources.OfType<ProjectResource>().SingleOrDefault(p => p.IsDashboard)
                ?? throw new DistillHostException("--dashboard-port was given but no project is the dashboard.");
            dashboard.Port = port;
        }

        return new DistributedApplication(Options, Resources);
    }

    private T Add<T>(T resource) where T : Resource
    {
        if (Resources.Any(r => r.Name == resource.Name))
        {
            throw new DistillHostException($"Two resources are named '{resource.Name}'.");
        }

        Resources.Add(resource);
        return resource;
    }
}
