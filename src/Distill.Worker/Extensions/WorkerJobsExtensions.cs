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
        builder.Services.AddTeacherClients();
        builder.Services.AddScoped<DatasetVersionReader>();
        builder.Services.AddScoped<DatasetVersionFiles>();
        builder.Services.AddScoped<DatasetVersionWriter>();
        builder.Services.AddHostedService<JobSweeperService>();
        return builder;
    }
}
