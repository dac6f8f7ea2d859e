using Azure.Core;

namespace Distill.Teachers;

/// <summary>How <see cref="TeacherClientFactory"/> builds clients: the HTTP stack, timeouts and Entra ID credential.</summary>
public sealed class TeacherClientOptions
{
    /// <summary>
    /// The HttpClient requests go through (tests and benchmarks point it at a fake; the Worker passes a pooled one).
    /// Null uses the SDKs' shared client. Its own <see cref="HttpClient.Timeout"/> should not be shorter than
    /// <see cref="NetworkTimeout"/>. The factory never disposes it.
    /// </summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>How long one attempt may wait for the service's answer. Long generations are slow, hence the generous default.</summary>
    public TimeSpan NetworkTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>The Entra ID credential for <c>Auth = EntraId</c> teachers; null means <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? AzureCredential { get; init; }

    /// <summary>Where a Local teacher with an empty endpoint is served: the discovered Trainer (<c>services__trainer__http__0</c>).</summary>
    public Uri? LocalTrainerEndpoint { get; init; }
}
