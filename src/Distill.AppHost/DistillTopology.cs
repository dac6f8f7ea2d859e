using Distill.Core.Data;
using Distill.Hosting;
using Distill.Hosting.Resources;

namespace Distill.AppHost;

/// <summary>
/// The whole distributed app in one place: three servers, one migration step and three services, wired with
/// the resource names and environment variables of Aspire's contract.
/// </summary>
public static class DistillTopology
{
    public static DistributedApplicationBuilder CreateBuilder(string[] args) =>
        DistributedApplication.CreateBuilder(args, typeof(DistillTopology).Assembly);

    public static DistributedApplicationBuilder CreateBuilder(AppHostOptions options) =>
        DistributedApplication.CreateBuilder(options, typeof(DistillTopology).Assembly);

    public static DistributedApplicationBuilder Declare(this DistributedApplicationBuilder builder)
    {
        var postgres = builder.AddPostgres("postgres");
        var distilldb = builder.AddDatabase(postgres, "distilldb", databaseName: "distill");
        var migrations = builder.AddTask("migrations", ct => DistillDatabase.MigrateAsync(distilldb.ConnectionString, ct))
            .WaitFor(distilldb);
        var messaging = builder.AddRabbitMQ("messaging");
        var blobs = builder.AddBlobs(builder.AddAzurite("storage"), "blobs");

        var trainer = builder.AddProject("trainer", "Distill.Trainer")
            .WithReference(distilldb).WithReference(messaging).WithReference(blobs)
            .WaitFor(migrations);

        var worker = builder.AddProject("worker", "Distill.Worker")
            .WithReference(distilldb).WithReference(messaging).WithReference(blobs)
            .WithReference(trainer)
            .WaitFor(migrations);

        builder.AddProject("web", "Distill.Web")
            .WithReference(distilldb).WithReference(messaging).WithReference(blobs)
            .WithReference(worker).WithReference(trainer)
            .WaitFor(migrations)
            .AsDashboard();

        return builder;
    }
}
