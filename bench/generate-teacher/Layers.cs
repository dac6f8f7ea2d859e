using System.Diagnostics;
using Distill.Core.Datasets;
using Distill.Core.Teachers;
using Distill.Teachers;
using Distill.Testing.FakeTeacher;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace Distill.Bench.GenerateTeacher;

/// <summary>
/// Where the per-request time goes: the SDK's ChatClient alone, then Microsoft.Extensions.AI's IChatClient over it,
/// then our TeacherClient, then with retry policy and limiter, then TeacherGeneration; one at a time (no queueing
/// for the cores blurs it), then as throughput at 64 in flight.
/// </summary>
internal static class Layers
{
    public static async Task RunAsync(FakeTeacherServer server, HttpClient http)
    {
        var teacher = new Teacher { Name = "x", Kind = TeacherKind.AzureOpenAI, Endpoint = server.AzureEndpoint.ToString(), Model = "gpt-fake", ApiVersion = "2025-04-01-preview" };
        using var client = new TeacherClientFactory(new TeacherClientOptions { HttpClient = http }).Create(teacher, server.Options.ApiKey);
        var sdk = client.ChatClient.GetService<ChatClient>()!;
        var request = new TeacherRequest([new ExampleMessage(ExampleMessage.System, "Be brief."), new ExampleMessage(ExampleMessage.User, "Question number 1")]) { MaxOutputTokens = 64 };
        var retry = TeacherRetryPolicy.For(teacher);
        using var limiter = new TeacherRateLimiter(new TeacherRateLimits(null, null, 8));
        for (var round = 0; round < 2; round++)
        {
            await Time("sdk CompleteChatAsync", () => sdk.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Question number 1")], new ChatCompletionOptions { MaxOutputTokenCount = 64 }));
            await Time("IChatClient", () => client.ChatClient.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Question number 1")], new ChatOptions { MaxOutputTokens = 64 }));
            await Time("AskAsync", () => client.AskAsync(request, default));
            await Time("AskAsync + retry + limiter", () => retry.ExecuteAsync(
                async (_, ct) =>
                {
                    using var lease = await limiter.AcquireAsync(100, ct);
                    return await client.AskAsync(request, ct);
                },
                default));
        }

        foreach (var round in Enumerable.Range(0, 2))
        {
            await Throughput("sdk CompleteChatAsync", () => sdk.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Question number 1")], new ChatCompletionOptions { MaxOutputTokenCount = 64 }));
            await Throughput("IChatClient", () => client.ChatClient.GetResponseAsync([new(ChatRole.System, "Be brief."), new(ChatRole.User, "Question number 1")], new ChatOptions { MaxOutputTokens = 64 }));
            await Throughput("AskAsync", () => client.AskAsync(request, default));
            using var wide = new TeacherRateLimiter(new TeacherRateLimits(null, null, 64));
            await Throughput("AskAsync + retry + limiter", () => retry.ExecuteAsync(
                async (_, ct) =>
                {
                    using var lease = await wide.AcquireAsync(100, ct);
                    return await client.AskAsync(request, ct);
                },
                default));
            var items = Enumerable.Range(0, 3000).Select(i => new TeacherWorkItem($"x{i}", request with { Messages = [new ExampleMessage(ExampleMessage.System, "Be brief."), new ExampleMessage(ExampleMessage.User, $"Question number {i}")] })).ToList();
            var clock = Stopwatch.StartNew();
            await new TeacherGeneration(client, new TeacherGenerationOptions { RateLimiter = wide }).RunAsync(items, (_, _, _) => ValueTask.CompletedTask);
            Console.WriteLine($"TeacherGeneration: {items.Count / clock.Elapsed.TotalSeconds:F0} requests/s at 64 in flight");
            clock.Restart();
            await RawTeacherCalls.RunAsync(http, teacher, server.Options.ApiKey!, items.Count, 64, offset: 0);
            Console.WriteLine($"raw HttpClient (reference): {items.Count / clock.Elapsed.TotalSeconds:F0} requests/s at 64 in flight");
        }

        async Task Throughput<T>(string name, Func<Task<T>> call)
        {
            const int Count = 3000;
            var next = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= Count)
                {
                    await call();
                }
            })));
            Console.WriteLine($"{name}: {Count / clock.Elapsed.TotalSeconds:F0} requests/s at 64 in flight");
        }

        async Task Time<T>(string name, Func<Task<T>> call)
        {
            server.ResetCounters();
            const int Count = 2000;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Count; i++)
            {
                await call();
            }

            Console.WriteLine($"{name}: {(clock.Elapsed.TotalMilliseconds - server.TotalHandlingTime.TotalMilliseconds) / Count:F3} ms per request beyond the server");
        }
    }
}
