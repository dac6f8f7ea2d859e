using Distill.ServiceDefaults.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Distill.UnitTests;

/// <summary>Bad settings become one sentence naming the setting, collected while services are registered.</summary>
public sealed class ConfigurationProblemsTests
{
    [Fact]
    public void Missing_connection_strings_are_each_named()
    {
        var builder = Builder([]);
        builder.AddDistillDatabase();
        builder.AddDistillBlobs();
        builder.AddDistillMessaging();

        var problems = ConfigurationProblems.Of(builder).All;

        Assert.Equal(3, problems.Count);
        Assert.StartsWith("ConnectionStrings:distilldb is not set", problems[0]);
        Assert.StartsWith("ConnectionStrings:blobs is not set", problems[1]);
        Assert.StartsWith("ConnectionStrings:messaging is not set", problems[2]);
        Assert.All(problems, p => Assert.Contains("ConnectionStrings__", p));
    }

    [Theory]
    [InlineData("messaging", "localhost:5672", "ConnectionStrings:messaging is not an AMQP URI")]
    [InlineData("distilldb", "Port=5432;Database=distill", "ConnectionStrings:distilldb has no Host")]
    [InlineData("distilldb", "Host=x;Bogus Key=1", "ConnectionStrings:distilldb is not a valid PostgreSQL connection string")]
    [InlineData("blobs", "AccountName=;nonsense", "ConnectionStrings:blobs is neither a storage connection string")]
    public void A_malformed_connection_string_is_explained(string name, string value, string expected)
    {
        var builder = Builder(new() { [$"ConnectionStrings:{name}"] = value });
        switch (name)
        {
            case "messaging": builder.AddDistillMessaging(); break;
            case "distilldb": builder.AddDistillDatabase(); break;
            default: builder.AddDistillBlobs(); break;
        }

        Assert.StartsWith(expected, Assert.Single(ConfigurationProblems.Of(builder).All));
    }

    [Fact]
    public void Well_formed_settings_raise_no_problem()
    {
        var builder = Builder(new()
        {
            ["ConnectionStrings:distilldb"] = "Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=distill",
            ["ConnectionStrings:messaging"] = "amqp://user:secret@127.0.0.1:5672",
            ["ConnectionStrings:blobs"] = "https://account.blob.core.windows.net",
        });
        builder.AddDistillDatabase();
        builder.AddDistillMessaging();
        builder.AddDistillBlobs();

        Assert.Empty(ConfigurationProblems.Of(builder).All);
    }

    private static HostApplicationBuilder Builder(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "Distill.Test" });
        builder.Configuration.AddInMemoryCollection(settings);
        return builder;
    }
}
