using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Distill.ServiceDefaults.Configuration;

/// <summary>
/// Problems found while services are registered. They are reported together, as sentences, when the service
/// starts, instead of surfacing later as a stack trace from deep inside a client library.
/// </summary>
public sealed class ConfigurationProblems
{
    private readonly List<string> _problems = [];

    public IReadOnlyList<string> All => _problems;

    public void Add(string sentence) => _problems.Add(sentence);

    public static ConfigurationProblems Of(IHostApplicationBuilder builder) => builder.Properties.Shared<ConfigurationProblems>();

    /// <summary>The connection string named <paramref name="name"/>, or null after recording why it is unusable.</summary>
    public static string? RequireConnectionString(IHostApplicationBuilder builder, string name, string describes)
    {
        var value = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            Of(builder).Add($"ConnectionStrings:{name} is not set: {builder.Environment.ApplicationName} needs it to reach {describes} " +
                $"(set the environment variable ConnectionStrings__{name}, or start everything with `dotnet run --project src/Distill.AppHost`).");
            return null;
        }

        return value;
    }
}

internal static class BuilderProperties
{
    public static T Shared<T>(this IDictionary<object, object> properties) where T : new()
    {
        if (!properties.TryGetValue(typeof(T), out var value))
        {
            value = new T();
            properties[typeof(T)] = value;
        }

        return (T)value;
    }
}
