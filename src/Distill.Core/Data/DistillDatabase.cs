using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Distill.Core.Data;

/// <summary>The one place that decides how a <see cref="DistillDbContext"/> talks to Postgres.</summary>
public static class DistillDatabase
{
    public static void Configure(DbContextOptionsBuilder options, NpgsqlDataSource dataSource) =>
        options.UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention();

    public static DistillDbContext Open(NpgsqlDataSource dataSource)
    {
        var options = new DbContextOptionsBuilder<DistillDbContext>();
        Configure(options, dataSource);
        return new DistillDbContext(options.Options);
    }

    /// <summary>Creates the database if needed and applies every pending migration.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var db = Open(dataSource);
        await db.Database.MigrateAsync(cancellationToken);
    }
}
