using System.Text.Json.Serialization;
using Distill.Teachers;
using Distill.Web.Api;
using Distill.Web.Capture;
using Distill.Web.Datasets;
using Distill.Web.Teachers;

namespace Distill.Web.Extensions;

public static class ApiExtensions
{
    /// <summary>What pages and <c>/api/v1</c> share: the catalogs that read and change the domain.</summary>
    public static IHostApplicationBuilder AddDistillApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddScoped<TeacherCatalog>();
        builder.Services.AddScoped<DatasetCatalog>();
        builder.Services.AddScoped<UploadReceiver>();
        builder.Services.AddScoped<DatasetJobLauncher>();
        builder.Services.AddTeacherClients();
        return builder;
    }

    public static WebApplication MapDistillApi(this WebApplication app)
    {
        app.MapOpenApi("/api/v1/openapi.json");
        app.MapJobsApi();
        app.MapTeachersApi();
        app.MapDatasetsApi();
        app.MapDatasetJobsApi();
        app.MapSystemApi();
        app.MapCaptureEndpoint();
        return app;
    }
}
