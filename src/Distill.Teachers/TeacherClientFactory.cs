using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using Distill.Core.Teachers;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace Distill.Teachers;

/// <summary>
/// Builds a <see cref="TeacherClient"/> for a teacher over the official SDKs: <see cref="AzureOpenAIClient"/> for
/// Azure OpenAI, <see cref="OpenAIClient"/> with a custom endpoint for OpenAI-compatible servers and the Trainer.
/// The API key is handed to the SDK's credential and kept nowhere else. The SDKs' retries are off: a 429 retried by
/// the SDK and again by <see cref="TeacherRetryPolicy"/> would multiply attempts and ignore our rate limiter.
/// </summary>
public sealed class TeacherClientFactory(TeacherClientOptions? options = null)
{
    /// <summary>The Entra ID scope of Azure OpenAI (Cognitive Services) resources.</summary>
    public const string AzureScope = "https://cognitiveservices.azure.com/.default";

    private readonly TeacherClientOptions _options = options ?? new TeacherClientOptions();
    private readonly PipelineTransport? _transport = options?.HttpClient is { } http ? new HttpClientPipelineTransport(http) : null;

    public TeacherClient Create(Teacher teacher, string? apiKey) => teacher.Kind switch
    {
        TeacherKind.AzureOpenAI => CreateAzure(teacher, apiKey),
        _ => CreateOpenAI(teacher, apiKey),
    };

    private TeacherClient CreateAzure(Teacher teacher, string? apiKey)
    {
        var endpoint = ParseEndpoint(teacher, teacher.Endpoint);
        var azureOptions = Configure(AzureApiVersion.Options(teacher.ApiVersion));
        TokenCredential? entra = null;
        var client = teacher.Auth switch
        {
            TeacherAuth.ApiKey => new AzureOpenAIClient(endpoint, new ApiKeyCredential(RequireKey(teacher, apiKey)), azureOptions),
            TeacherAuth.EntraId => new AzureOpenAIClient(endpoint, entra = _options.AzureCredential ?? new DefaultAzureCredential(), azureOptions),
            _ => throw new ArgumentException($"The Azure OpenAI teacher '{teacher.Name}' needs an API key or Entra ID sign-in.", nameof(teacher)),
        };

        // Listing stored completions: the Azure SDK's chat client inherits OpenAI's list call, which it sends to
        // {endpoint}/chat/completions with no api-version, a path Azure does not serve. Azure's v1 API serves the
        // OpenAI shape at {endpoint}/openai/v1, so the plain OpenAI client reads it, with Azure's auth.
        AuthenticationPolicy auth = entra is null
            ? ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(apiKey!), "api-key")
            : new BearerTokenPolicy(entra, AzureScope);
#pragma warning disable OPENAI001 // Evaluation-only constructor: the only way to give the OpenAI client Azure's api-key header or Entra token.
        var stored = new ChatClient(teacher.Model, auth, Configure(new OpenAIClientOptions { Endpoint = new Uri(endpoint, "openai/v1") }));
#pragma warning restore OPENAI001
        return new TeacherClient(teacher, client.GetChatClient(teacher.Model).AsIChatClient(), stored);
    }

    private TeacherClient CreateOpenAI(Teacher teacher, string? apiKey)
    {
        var openAIOptions = Configure(new OpenAIClientOptions { Endpoint = OpenAIEndpoint(teacher) });
        var client = teacher.Auth switch
        {
            TeacherAuth.ApiKey => new OpenAIClient(new ApiKeyCredential(RequireKey(teacher, apiKey)), openAIOptions),
#pragma warning disable OPENAI001 // Evaluation-only constructor: the only way to send no Authorization header at all.
            TeacherAuth.None => new OpenAIClient(new NoAuthenticationPolicy(), openAIOptions),
#pragma warning restore OPENAI001
            _ => throw new ArgumentException($"The teacher '{teacher.Name}' uses Entra ID sign-in, which only Azure OpenAI teachers support.", nameof(teacher)),
        };
        var chat = client.GetChatClient(teacher.Model);
        // Our Trainer keeps no stored completions; any other OpenAI-compatible server may (OpenAI does).
        return new TeacherClient(teacher, chat.AsIChatClient(), teacher.Kind == TeacherKind.Local ? null : chat);
    }

    /// <summary>OpenAI-compatible: the base URL as given (…/v1), or OpenAI's own when empty. Local: the Trainer's /v1.</summary>
    private Uri? OpenAIEndpoint(Teacher teacher)
    {
        if (teacher.Kind != TeacherKind.Local)
        {
            return string.IsNullOrWhiteSpace(teacher.Endpoint) ? null : ParseEndpoint(teacher, teacher.Endpoint);
        }

        var trainer = string.IsNullOrWhiteSpace(teacher.Endpoint)
            ? _options.LocalTrainerEndpoint ?? throw new ArgumentException($"The local teacher '{teacher.Name}' has no endpoint and no Trainer was discovered.", nameof(teacher))
            : ParseEndpoint(teacher, teacher.Endpoint);
        var text = trainer.AbsoluteUri.TrimEnd('/');
        return new Uri(text.EndsWith("/v1", StringComparison.Ordinal) ? text : text + "/v1");
    }

    private T Configure<T>(T options)
        where T : ClientPipelineOptions
    {
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = _options.NetworkTimeout;
        if (_transport is not null)
        {
            options.Transport = _transport;
        }

        return options;
    }

    private static Uri ParseEndpoint(Teacher teacher, string endpoint) =>
        Uri.TryCreate(endpoint.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? new Uri(uri.AbsoluteUri.TrimEnd('/') + "/")
            : throw new ArgumentException($"The teacher '{teacher.Name}' has an endpoint that is not an http(s) URL: '{endpoint}'.", nameof(teacher));

    private static string RequireKey(Teacher teacher, string? apiKey) =>
        string.IsNullOrWhiteSpace(apiKey) ? throw new ArgumentException($"The teacher '{teacher.Name}' needs an API key and none was given.", nameof(apiKey)) : apiKey;
}
