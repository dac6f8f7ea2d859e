using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Distill.Core.Data;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without a running database.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<DistillDbContext>
{
    public DistillDbContext CreateDbContext(string[] args) =>
        DistillDatabase.Open(NpgsqlDataSource.Create("Host=127.0.0.1;Database=distill;Username=design"));
}
