using Distill.Core.Datasets;
using Distill.Core.Teachers;
using Distill.Testing.FakeTeacher;

namespace Distill.Teachers.Tests;

/// <summary>Teachers pointed at a fake server, and clients for them built by the real factory over the real SDKs.</summary>
internal static class TeacherTestKit
{
    public const string Deployment = "gpt-fake-deployment";

    // One pool for every test; its own timeout is off so the SDK's network timeout is the one that applies.
    private static readonly HttpClient Http = new(new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan };

    public static Teacher AzureTeacher(FakeTeacherServer server) => new()
    {
        Name = "azure-fake",
        Kind = TeacherKind.AzureOpenAI,
        Endpoint = server.AzureEndpoint.ToString(),
        Model = Deployment,
        ApiVersion = "2025-04-01-preview",
        Auth = TeacherAuth.ApiKey,
        InputPricePerMillion = 2.5m,
        OutputPricePerMillion = 10m,
        SupportsLogprobs = true,
        StoreCompletions = true,
    };

    public static Teacher OpenAITeacher(FakeTeacherServer server) => new()
    {
        Name = "openai-fake",
        Kind = TeacherKind.OpenAICompatible,
        Endpoint = server.OpenAIEndpoint.ToString(),
        Model = "gpt-fake",
        Auth = TeacherAuth.ApiKey,
        InputPricePerMillion = 0.15m,
        OutputPricePerMillion = 0.6m,
        SupportsLogprobs = true,
        StoreCompletions = true,
    };

    public static Teacher Of(string kind, FakeTeacherServer server) => kind == "azure" ? AzureTeacher(server) : OpenAITeacher(server);

    public static TeacherClient Client(FakeTeacherServer server, Teacher teacher, string? apiKey = null, TimeSpan? networkTimeout = null) =>
        new TeacherClientFactory(new TeacherClientOptions { HttpClient = Http, NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(10) })
            .Create(teacher, apiKey ?? server.Options.ApiKey);

    public static TeacherRequest Ask(string question, IReadOnlyDictionary<string, string>? metadata = null) =>
        new([new ExampleMessage(ExampleMessage.System, "Be brief."), new ExampleMessage(ExampleMessage.User, question)]) { Metadata = metadata };

    /// <summary>Retries that do not make a test wait: tiny backoff, the attempts given.</summary>
    public static TeacherRetryOptions FastRetry(int attempts = 6) => new() { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(5), MaxDelay = TimeSpan.FromSeconds(5) };
}
