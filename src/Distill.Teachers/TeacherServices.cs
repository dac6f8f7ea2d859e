using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Distill.Teachers;

public static class TeacherServices
{
    /// <summary>
    /// The one <see cref="TeacherClientFactory"/> of a service; local teachers are served by the Trainer found
    /// through Aspire's service discovery variable (<c>services__trainer__http__0</c>).
    /// </summary>
    public static IServiceCollection AddTeacherClients(this IServiceCollection services) =>
        services.AddSingleton(sp => new TeacherClientFactory(new TeacherClientOptions
        {
            LocalTrainerEndpoint = sp.GetRequiredService<IConfiguration>()["services:trainer:http:0"] is { Length: > 0 } url ? new Uri(url) : null,
        }));
}
