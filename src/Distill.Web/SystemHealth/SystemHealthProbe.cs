using System.Net.Http.Json;
using Distill.ServiceDefaults.Health;
using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distill.Web.SystemHealth;

public sealed record ComponentHealth(string Key, string Name, bool Healthy, string Status, string? Detail, string? Version);

/// <summary>
/// Health of every part of the system as this Web instance sees it: its own connections to Postgres, RabbitMQ
/// and blob storage, and the <c>/health</c> of the Worker and Trainer, found through service discovery.
/// </summary>
public sealed class SystemHealthProbe(HealthCheckService checks, IHttpClientFactory http)
{
    public static readonly string[] Services = ["worker", "trainer"];

    public async Task<IReadOnlyList<ComponentHealth>> CheckAsync(CancellationToken cancellationToken)
    {
        var report = checks.CheckHealthAsync(cancellationToken);
        var services = Services.Select(s => CheckServiceAsync(s, cancellationToken)).ToList();
        var own = await report;
        return
        [
            FromCheck(own, DatabaseExtensions.HealthCheckName, "postgres", "PostgreSQL"),
            FromBus(own),
            FromCheck(own, BlobExtensions.HealthCheckName, "blobs", "Blob storage"),
            new("web", "Web", own.Status == HealthStatus.Healthy, own.Status.ToString(), "this dashboard", HealthReportJson.ServiceVersion),
            .. await Task.WhenAll(services),
        ];
    }

    private static ComponentHealth FromCheck(HealthReport report, string check, string key, string name) =>
        report.Entries.TryGetValue(check, out var entry)
            ? new(key, name, entry.Status == HealthStatus.Healthy, entry.Status.ToString(), entry.Description, null)
            : new(key, name, false, "Unknown", "not configured in this service", null);

    private static ComponentHealth FromBus(HealthReport report)
    {
        var bus = report.Entries.Where(e => e.Value.Tags.Contains("masstransit")).Select(e => e.Value).ToList();
        var healthy = bus.Count > 0 && bus.All(e => e.Status == HealthStatus.Healthy);
        var status = bus.Count == 0 ? "Unknown" : bus.Min(e => e.Status).ToString();
        return new("messaging", "RabbitMQ", healthy, status, healthy ? "bus connected, endpoints ready" : bus.FirstOrDefault().Description, null);
    }

    private async Task<ComponentHealth> CheckServiceAsync(string service, CancellationToken cancellationToken)
    {
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        try
        {
            using var response = await http.CreateClient(service).GetAsync(Microsoft.Extensions.Hosting.Extensions.HealthPath, cancellationToken);
            var health = await response.Content.ReadFromJsonAsync<ServiceHealth>(HealthJson.Options, cancellationToken);
            var failing = health?.Checks.Where(c => c.Value.Status != nameof(HealthStatus.Healthy)).Select(c => $"{c.Key}: {c.Value.Description}").ToList() ?? [];
            return new(service, name, response.IsSuccessStatusCode, health?.Status ?? response.StatusCode.ToString(),
                failing.Count == 0 ? $"all {health?.Checks.Count} checks pass" : string.Join("; ", failing), health?.Version);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException
            && !cancellationToken.IsCancellationRequested)
        {
            return new(service, name, false, "Unreachable", ex.Message.Split('\n')[0], null);
        }
    }
}

public static class SystemHealthExtensions
{
    public static IServiceCollection AddSystemHealth(this IServiceCollection services)
    {
        services.AddScoped<SystemHealthProbe>();
        foreach (var service in SystemHealthProbe.Services)
        {
            // A health probe must answer fast and truthfully: no retries hiding a dead service. Removing the
            // handlers that ServiceDefaults adds to every client is marked experimental, but it is the documented way.
#pragma warning disable EXTEXP0001
            services.AddHttpClient(service, client =>
            {
                client.BaseAddress = new Uri($"http://{service}");
                client.Timeout = TimeSpan.FromSeconds(3);
            }).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        return services;
    }
}
