using Distill.Core.Data;
using Distill.Core.Jobs;
using Distill.ServiceDefaults.Configuration;
using Distill.ServiceDefaults.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseExtensions
{
    public const string HealthCheckName = "postgres";

    /// <summary>Npgsql data source and <see cref="DistillDbContext"/> (scoped and as a factory), with health check and tracing.</summary>
    public static TBuilder AddDistillDatabase<TBuilder>(this TBuilder builder, string connectionName = "distilldb") where TBuilder : IHostApplicationBuilder
    {
        var connectionString = ConfigurationProblems.RequireConnectionString(builder, connectionName, "PostgreSQL");
        var settings = connectionString is null ? null : Parse(builder, connectionName, connectionString);
        if (settings is not null)
        {
            var login = new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
            DependencyProbe.Of(builder).Add($"ConnectionStrings:{connectionName}", "PostgreSQL", $"{settings.Host}:{settings.Port}", async cancellationToken =>
            {
                await using var connection = new NpgsqlConnection(login);
                await connection.OpenAsync(cancellationToken);
            });
        }

        // With an unusable setting the data source points nowhere: RunServiceAsync reports why before anything connects.
        builder.Services.AddSingleton(_ => new NpgsqlDataSourceBuilder(settings?.ConnectionString ?? "Host=unconfigured.invalid").Build());
        builder.Services.AddDbContextFactory<DistillDbContext>((sp, options) => DistillDatabase.Configure(options, sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddScoped<JobStore>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>(HealthCheckName, tags: ["ready"]);
        return builder;
    }

    private static NpgsqlConnectionStringBuilder? Parse(IHostApplicationBuilder builder, string name, string connectionString)
    {
        try
        {
            var settings = new NpgsqlConnectionStringBuilder(connectionString);
            if (!string.IsNullOrWhiteSpace(settings.Host))
            {
                return settings;
            }

            ConfigurationProblems.Of(builder).Add($"ConnectionStrings:{name} has no Host: expected Host=...;Port=...;Username=...;Password=...;Database=distill.");
        }
        catch (ArgumentException ex)
        {
            ConfigurationProblems.Of(builder).Add($"ConnectionStrings:{name} is not a valid PostgreSQL connection string ({ex.Message.Split('\n')[0]}).");
        }

        return null;
    }
}
