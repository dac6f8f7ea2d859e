using System.Collections.Concurrent;
using System.Net.Http.Json;
using Azure.Storage.Blobs;
using Distill.AppHost;
using Distill.Core.Data;
using Distill.Core.Jobs;
using Distill.Hosting;
using Distill.Hosting.Resources;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Distill.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class DistillCollection : ICollectionFixture<DistillAppFixture>
{
    public const string Name = "distill";
}

/// <summary>
/// The real topology (Postgres, RabbitMQ, Azurite, Web, Worker, Trainer) started through the AppHost's own
/// declaration, as Aspire's testing builder would, with short job timings so crash recovery is quick to observe.
/// </summary>
public sealed class DistillAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan RepublishAfter = TimeSpan.FromSeconds(3);

    private StreamWriter? _log;
    private IBusControl? _bus;

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Web { get; private set; } = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    public BlobServiceClient Blobs { get; private set; } = null!;

    public JobEventLog Events { get; } = new();

    public static string LogPath => Path.Combine(Artifacts, "topology.log");

    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppHostOptions.RepositoryRoot(), "artifacts", "test-logs")).FullName;

    public async Task InitializeAsync()
    {
        _log = new StreamWriter(new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var builder = DistillTopology.CreateBuilder(new AppHostOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "distill-it-" + Guid.NewGuid().ToString("N")[..8]),
            ToolsDirectory = Path.Combine(AppHostOptions.RepositoryRoot(), ".tools"),
            Ephemeral = true,
            FastUnsafeStorage = true,
            Log = TextWriter.Synchronized(_log),
        }).Declare();
        builder.Resource<ProjectResource>("worker")
            .WithEnvironment("Jobs__HeartbeatInterval", "00:00:01")
            .WithEnvironment("Jobs__HeartbeatTimeout", HeartbeatTimeout.ToString())
            .WithEnvironment("Jobs__SweepInterval", "00:00:01")
            .WithEnvironment("Jobs__RepublishAfter", RepublishAfter.ToString());
        App = builder.Build();
        await App.StartAsync();

        Web = new HttpClient { BaseAddress = App.GetEndpoint("web") };
        Database = NpgsqlDataSource.Create(App.GetConnectionString("distilldb"));
        Blobs = new BlobServiceClient(App.GetConnectionString("blobs"));
        _bus = Events.Listen(new Uri(App.GetConnectionString("messaging")));
        await _bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        Web?.Dispose();
        if (Database is not null)
        {
            await Database.DisposeAsync();
        }

        if (App is not null)
        {
            await App.StopAsync();
        }

        _log?.Dispose();
    }

    /// <summary>What the launcher and its children have printed so far.</summary>
    public static string ReadLog()
    {
        using var reader = new StreamReader(new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadToEnd();
    }

    public DistillDbContext OpenDatabase() => DistillDatabase.Open(Database);

    /// <summary>Writes a job row the way Web does, but sends no message: a nudge lost on the way.</summary>
    public async Task<Job> AddJobWithoutNudgeAsync<T>(string kind, T payload)
    {
        await using var db = OpenDatabase();
        return await new JobStore(db).AddAsync(kind, System.Text.Json.JsonSerializer.Serialize(payload, JobPayload.Json), CancellationToken.None);
    }

    public async Task NudgeAsync(Job job)
    {
        var endpoint = await _bus!.GetSendEndpoint(new Uri($"queue:{JobKinds.QueueOf(job.Kind)}"));
        await endpoint.Send(new RunJob(job.Id, job.Kind));
    }

    public async Task<Job> ReadJobAsync(Guid id)
    {
        await using var db = OpenDatabase();
        return await db.Jobs.AsNoTracking().SingleAsync(j => j.Id == id);
    }

    public Task<Job> WaitForJobAsync(Guid id, JobStatus status, TimeSpan? timeout = null) =>
        WaitForJobAsync(id, j => j.Status == status, $"status {status}", timeout);

    public async Task<Job> WaitForJobAsync(Guid id, Func<Job, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var job = await ReadJobAsync(id);
            if (condition(job))
            {
                return job;
            }

            if (job.Status.IsFinished() || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Job {id} never reached {what}; it is {job.Status} (attempt {job.Attempt}, progress {job.Progress:P0}, error {job.Error}).");
            }

            await Task.Delay(100);
        }
    }

    public async Task<Dictionary<int, List<int>>> DiagnosticStepAttemptsAsync(Guid jobId)
    {
        await using var db = OpenDatabase();
        var steps = await db.DiagnosticSteps.Where(s => s.JobId == jobId).ToListAsync();
        return steps.GroupBy(s => s.Step).ToDictionary(g => g.Key, g => g.Select(s => s.Attempt).ToList());
    }
}

/// <summary>Every job event the system publishes, as heard by an extra subscriber of the test's own.</summary>
public sealed class JobEventLog
{
    private readonly ConcurrentQueue<(Type Type, Guid JobId)> _events = new();

    public int Count<T>(Guid jobId) => _events.Count(e => e.Type == typeof(T) && e.JobId == jobId);

    /// <summary>Waits for <typeparamref name="T"/> about the job, then a little longer so a duplicate would show.</summary>
    public async Task<int> SettledCountAsync<T>(Guid jobId)
    {
        for (var i = 0; i < 100 && Count<T>(jobId) == 0; i++)
        {
            await Task.Delay(100);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        return Count<T>(jobId);
    }

    internal IBusControl Listen(Uri broker)
    {
        var credentials = broker.UserInfo.Split(':');
        return Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(broker.Host, (ushort)broker.Port, "/", host =>
            {
                host.Username(credentials[0]);
                host.Password(credentials[1]);
            });
            rabbit.ReceiveEndpoint("integration-tests-" + Guid.NewGuid().ToString("N")[..8], endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                Record<JobStarted>(endpoint, e => e.JobId);
                Record<JobCompleted>(endpoint, e => e.JobId);
                Record<JobFailed>(endpoint, e => e.JobId);
                Record<JobCancelled>(endpoint, e => e.JobId);
            });
        });
    }

    private void Record<T>(IRabbitMqReceiveEndpointConfigurator endpoint, Func<T, Guid> jobId) where T : class =>
        endpoint.Handler<T>(context =>
        {
            _events.Enqueue((typeof(T), jobId(context.Message)));
            return Task.CompletedTask;
        });
}

public sealed record JobView(Guid Id, string Kind, string Status, double Progress, int Attempt);

internal static class HttpJson
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>() ?? throw new InvalidOperationException("Empty response body.");
}
