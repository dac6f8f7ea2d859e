using Distill.Core.Jobs;
using Distill.ServiceDefaults.Configuration;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Microsoft.Extensions.Hosting;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit over RabbitMQ from an <c>amqp://user:pass@host:port</c> URI. Consumers are registered by the
    /// caller. Retries happen in memory, because the broker has no delayed-exchange plugin for redelivery.
    /// </summary>
    public static TBuilder AddDistillMessaging<TBuilder>(this TBuilder builder, Action<IBusRegistrationConfigurator>? configure = null, string connectionName = "messaging")
        where TBuilder : IHostApplicationBuilder
    {
        var setting = ConfigurationProblems.RequireConnectionString(builder, connectionName, "RabbitMQ");
        var broker = setting is null ? null : Parse(builder, connectionName, setting);
        if (broker is not null)
        {
            DependencyProbe.Of(builder).Add($"ConnectionStrings:{connectionName}", "RabbitMQ", $"{broker.Host}:{broker.Port}", async cancellationToken =>
            {
                var factory = new ConnectionFactory
                {
                    HostName = broker.Host, Port = broker.Port, VirtualHost = broker.VirtualHost,
                    UserName = broker.Username, Password = broker.Password, ClientProvidedName = builder.Environment.ApplicationName + " startup probe",
                };
                await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            });
        }

        builder.Services.Configure<JobOptions>(builder.Configuration.GetSection(JobOptions.Section));
        builder.Services.AddScoped<JobScheduler>();
        builder.Services.AddScoped<JobSweeper>();
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var b = broker ?? Broker.Unconfigured;
                rabbit.Host(b.Host, (ushort)b.Port, b.VirtualHost, host =>
                {
                    host.Username(b.Username);
                    host.Password(b.Password);
                });
                rabbit.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        return builder;
    }

    /// <summary>Consumes the job queue of <paramref name="service"/>, at most <see cref="JobOptions.Concurrency"/> jobs at a time.</summary>
    public static IBusRegistrationConfigurator AddJobRunner(this IBusRegistrationConfigurator bus, IConfiguration configuration, string service)
    {
        var concurrency = configuration.GetSection(JobOptions.Section).Get<JobOptions>()?.Concurrency ?? new JobOptions().Concurrency;
        bus.AddConsumer<RunJobConsumer>().Endpoint(endpoint =>
        {
            endpoint.Name = JobKinds.QueueOfService(service);
            endpoint.ConcurrentMessageLimit = concurrency;
            // A busy process should not hold nudges that an idle one could take.
            endpoint.PrefetchCount = concurrency;
        });
        return bus;
    }

    private static Broker? Parse(IHostApplicationBuilder builder, string name, string setting)
    {
        if (Uri.TryCreate(setting, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps" && !string.IsNullOrEmpty(uri.Host))
        {
            var credentials = uri.UserInfo.Split(':', 2);
            var port = uri.IsDefaultPort || uri.Port < 0 ? (uri.Scheme == "amqps" ? 5671 : 5672) : uri.Port;
            var virtualHost = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? Uri.UnescapeDataString(path) : "/";
            return new Broker(uri.Host, port, virtualHost,
                Uri.UnescapeDataString(credentials[0]) is { Length: > 0 } user ? user : "guest",
                credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : "guest");
        }

        ConfigurationProblems.Of(builder).Add($"ConnectionStrings:{name} is not an AMQP URI: expected amqp://user:password@host:port.");
        return null;
    }

    private sealed record Broker(string Host, int Port, string VirtualHost, string Username, string Password)
    {
        /// <summary>
        /// Stands in for a missing or malformed setting so the service container can still be built (MassTransit
        /// creates its bus then); RunServiceAsync reports the problem and never starts the bus.
        /// </summary>
        public static readonly Broker Unconfigured = new("127.0.0.1", 1, "/", "unconfigured", "unconfigured");
    }
}
