using Azure.Identity;
using Azure.Storage.Blobs;
using Distill.ServiceDefaults.Configuration;
using Distill.ServiceDefaults.Health;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

public static class BlobExtensions
{
    public const string HealthCheckName = "blobs";

    /// <summary>
    /// <see cref="BlobServiceClient"/> from a storage connection string (Azurite locally) or from a blob endpoint
    /// URI, authenticated with <see cref="DefaultAzureCredential"/> (managed identity in Azure).
    /// </summary>
    public static TBuilder AddDistillBlobs<TBuilder>(this TBuilder builder, string connectionName = "blobs") where TBuilder : IHostApplicationBuilder
    {
        var setting = ConfigurationProblems.RequireConnectionString(builder, connectionName, "blob storage");
        var client = setting is null ? null : Create(builder, connectionName, setting);
        if (client is not null)
        {
            DependencyProbe.Of(builder).AddTcp($"ConnectionStrings:{connectionName}", "blob storage", client.Uri.Host, client.Uri.Port);
        }

        // With an unusable setting the client points nowhere: RunServiceAsync reports why before anything connects.
        builder.Services.AddSingleton(client ?? new BlobServiceClient(new Uri("http://unconfigured.invalid")));
        builder.Services.AddHealthChecks().AddCheck<BlobStorageHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }

    private static BlobServiceClient? Create(IHostApplicationBuilder builder, string name, string setting)
    {
        if (Uri.TryCreate(setting, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "https" or "http")
        {
            return new BlobServiceClient(endpoint, new DefaultAzureCredential());
        }

        try
        {
            return new BlobServiceClient(setting);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            ConfigurationProblems.Of(builder).Add(
                $"ConnectionStrings:{name} is neither a storage connection string (AccountName=...;AccountKey=...;BlobEndpoint=...) nor a blob endpoint URI.");
            return null;
        }
    }
}
