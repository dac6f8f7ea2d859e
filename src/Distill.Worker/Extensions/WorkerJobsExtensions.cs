using Distill.Core.Jobs;
using Distill.Teachers;
using Distill.Worker.Datasets;
using Distill.Worker.Jobs;

namespace Distill.Worker.Extensions;

public static class WorkerJobsExtensions
{
    /// <summary>The job kinds this service runs, and the sweeper that keeps every job moving.</summary>
    public static IHostApplicationBuilder AddWorkerJobs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<IJobHandler, DiagnosticJob>();
        builder.Services.AddScoped<IJobHandler, CaptureSnapshotJob>();
        builder.Services.AddScoped<IJobHandler, ImportJob>();
        builder.Services.AddScoped<IJobHandler, CurationJob>();
        builder.Services.AddScoped<IJobHandler, GenerationJob>();
        builder.Services.AddSingleton(sp => new TeacherClientFactory(new TeacherClientOptions { LocalTrainerEndpoint = TrainerEndpoint(sp) }));
        builder.Services.AddScoped<DatasetVersionReader>();
        builder.Services.AddScoped<DatasetVersionFiles>();
        builder.Services.AddScoped<DatasetVersionWriter>();
        builder.Services.AddHostedService<JobSweeperService>();
        return builder;
    }

    /// <summary>Where the Trainer serves local teachers, from Aspire's service discovery variable.</summary>
    private static Uri? TrainerEndpoint(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>()["services:trainer:http:0"] is { Length: > 0 } url ? new Uri(url) : null;
}
