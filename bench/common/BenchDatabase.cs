using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Projects;
using Distill.Hosting;
using Npgsql;

namespace Distill.Bench.Common;

/// <summary>A real Postgres for one benchmark run, started by our launcher library on a fresh data directory and migrated.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly DistributedApplication _app;

    private BenchDatabase(DistributedApplication app, NpgsqlDataSource dataSource)
    {
        _app = app;
        DataSource = dataSource;
    }

    public NpgsqlDataSource DataSource { get; }

    public DistillDbContext Open() => DistillDatabase.Open(DataSource);

    public static async Task<BenchDatabase> StartAsync(string name)
    {
        var builder = DistributedApplication.CreateBuilder(new AppHostOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), $"distill-bench-{name}-{Guid.NewGuid():N}"[..40]),
            ToolsDirectory = Path.Combine(AppHostOptions.RepositoryRoot(), ".tools"),
            Ephemeral = true,
            Log = TextWriter.Null,
        }, typeof(BenchDatabase).Assembly);
        var database = builder.AddDatabase(builder.AddPostgres("postgres"), "distilldb", "distill");
        var app = builder.Build();
        await app.StartAsync();
        await DistillDatabase.MigrateAsync(database.ConnectionString, CancellationToken.None);
        return new BenchDatabase(app, new NpgsqlDataSourceBuilder(database.ConnectionString).Build());
    }

    /// <summary>A dataset with one Building version, as a job would begin it.</summary>
    public async Task<DatasetVersion> NewVersionAsync(string datasetName)
    {
        await using var db = Open();
        var dataset = new Dataset { Id = Guid.CreateVersion7(), ProjectId = Project.DefaultId, Name = datasetName, CreatedAt = DateTime.UtcNow };
        var version = new DatasetVersion
        {
            Id = Guid.CreateVersion7(), DatasetId = dataset.Id, Number = 1, Operation = DatasetOperations.Import, Parameters = "{}",
            Status = DatasetVersionStatus.Building, CreatedAt = DateTime.UtcNow,
        };
        db.Datasets.Add(dataset);
        db.DatasetVersions.Add(version);
        await db.SaveChangesAsync();
        return version;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _app.StopAsync();
    }
}
