using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Distill.ServiceDefaults.Health;

/// <summary>The <c>/health</c> body: overall status, each check, and the service's version. No exception text.</summary>
public static class HealthReportJson
{
    public static readonly string ServiceVersion =
        Assembly.GetEntryAssembly()?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var body = new ServiceHealth(
            report.Status.ToString(),
            ServiceVersion,
            Environment.Version.ToString(),
            report.Entries.ToDictionary(e => e.Key, e => new CheckHealth(e.Value.Status.ToString(), e.Value.Description)));
        return JsonSerializer.SerializeAsync(context.Response.Body, body, HealthJson.Options, context.RequestAborted);
    }
}

public sealed record ServiceHealth(string Status, string Version, string Runtime, IReadOnlyDictionary<string, CheckHealth> Checks);

public sealed record CheckHealth(string Status, string? Description);

public static class HealthJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
