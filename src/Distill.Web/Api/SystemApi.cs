using Distill.Web.SystemHealth;

namespace Distill.Web.Api;

public static class SystemApi
{
    public static IEndpointRouteBuilder MapSystemApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/system").WithTags("System")
            .MapGet("/health", (SystemHealthProbe probe, CancellationToken cancellationToken) => probe.CheckAsync(cancellationToken))
            .WithSummary("Health and version of every component: PostgreSQL, RabbitMQ, blob storage, Web, Worker and Trainer.");
        return app;
    }
}
