using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distill.ServiceDefaults.Health;

internal sealed class BlobStorageHealthCheck(BlobServiceClient blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var properties = await blobs.GetPropertiesAsync(cancellationToken);
            var version = properties.GetRawResponse().Headers.TryGetValue("Server", out var server) ? server : blobs.Uri.Host;
            return HealthCheckResult.Healthy($"{version} at {blobs.Uri.GetLeftPart(UriPartial.Authority)}");
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"Cannot reach blob storage at {blobs.Uri.GetLeftPart(UriPartial.Authority)}: {ex.Message.Split('\n')[0]}");
        }
    }
}
