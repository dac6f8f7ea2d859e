using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Distill.ServiceDefaults.Configuration;

public static partial class ServiceRunner
{
    /// <summary>Exit code for bad configuration (sysexits' EX_CONFIG).</summary>
    public const int ConfigurationError = 78;

    /// <summary>
    /// Runs the service. Bad configuration ends it with one sentence per problem on stderr and exit code 78.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app)
    {
        var problems = app.Services.GetRequiredService<ConfigurationProblems>().All;
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync(problem);
            }

            return ConfigurationError;
        }

        try
        {
            await app.Services.GetRequiredService<DependencyProbe>().EnsureReachableAsync(app.Lifetime.ApplicationStopping);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } sentence)
        {
            await Console.Error.WriteLineAsync(sentence);
            return ConfigurationError;
        }
    }

    private static string? Explain(Exception exception) => exception switch
    {
        DistillConfigurationException configuration => configuration.Message,
        IOException { InnerException: AddressInUseException } bind when BindAddress().Match(bind.Message) is { Success: true } match =>
            $"The address {match.Groups[1].Value} is already in use by another process: choose a free port in ASPNETCORE_URLS (or --urls).",
        AggregateException aggregate => aggregate.InnerExceptions.Select(Explain).FirstOrDefault(s => s is not null),
        _ => exception.InnerException is { } inner ? Explain(inner) : null,
    };

    [GeneratedRegex(@"Failed to bind to address (\S+?):? address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex BindAddress();
}
