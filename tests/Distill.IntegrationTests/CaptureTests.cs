using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Testing.FakeTeacher;
using Microsoft.EntityFrameworkCore;
using OpenAI;
using OpenAI.Chat;

namespace Distill.IntegrationTests;

/// <summary>
/// An application switches to Distill by changing its base URL: the official OpenAI SDK talks to our capture
/// endpoint, which forwards to the teacher (the fake Azure OpenAI fixture) and keeps every exchange.
/// </summary>
[Collection(DistillCollection.Name)]
public sealed class CaptureTests(DistillAppFixture app) : IAsyncLifetime
{
    private FakeTeacherServer _teacher = null!;

    public async Task InitializeAsync() => _teacher = await FakeTeacherServer.StartAsync();

    public async Task DisposeAsync() => await _teacher.DisposeAsync();

    [Fact]
    public async Task Plain_and_streamed_exchanges_are_forwarded_captured_with_usage_and_cost_and_become_a_dataset_version()
    {
        var name = "capture-" + Guid.NewGuid().ToString("N")[..6];
        var teacherId = await TeacherAsync(name);
        var chat = new OpenAIClient(new ApiKeyCredential("distill"), new OpenAIClientOptions { Endpoint = new Uri(app.Web.BaseAddress!, "/v1") }).GetChatClient(name);

        var plain = await chat.CompleteChatAsync([new UserChatMessage("What is the capital of France?")], new ChatCompletionOptions { Metadata = { ["feature"] = "faq" } });
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Name a prime number.")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                streamed.Append(part.Text);
            }
        }

        Assert.False(string.IsNullOrWhiteSpace(plain.Value.Content[0].Text));
        Assert.True(plain.Value.Usage.OutputTokenCount > 0);
        Assert.True(streamed.Length > 0);
        Assert.Equal(2, _teacher.AnswersDelivered);
        await using (var db = app.OpenDatabase())
        {
            var captured = await db.CapturedCompletions.AsNoTracking().Where(c => c.TeacherId == teacherId).OrderBy(c => c.Id).ToListAsync();
            Assert.Equal([false, true], captured.Select(c => c.Streamed));
            Assert.All(captured, c => Assert.True(c.StatusCode == 200 && c.OutputTokens > 0 && c.Cost > 0));
            Assert.Equal(plain.Value.Content[0].Text, ExampleJson.ReadMessages(captured[0].Messages)[^1].Content);
            Assert.Equal(streamed.ToString(), ExampleJson.ReadMessages(captured[1].Messages)[^1].Content);
            Assert.Equal("faq", ExampleJson.ReadMetadata(captured[0].Metadata)["feature"]);
        }

        var dataset = JsonNode.Parse(await (await app.Web.PostAsJsonAsync("/api/v1/datasets", new { name = "captured-" + name })).Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        var response = await app.Web.PostAsJsonAsync($"/api/v1/datasets/{dataset}/capture-snapshots", new { teacherId });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var job = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
        await app.WaitForJobAsync(job, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        await using var check = app.OpenDatabase();
        var version = await check.DatasetVersions.AsNoTracking().SingleAsync(v => v.JobId == job);
        Assert.Equal(2, version.CountAfter);
    }

    [Fact]
    public async Task Testing_a_teacher_connection_reports_ok_or_the_reason_without_the_key()
    {
        var name = "conn-" + Guid.NewGuid().ToString("N")[..6];
        var id = await TeacherAsync(name);
        var ok = JsonNode.Parse(await (await app.Web.PostAsync($"/api/v1/teachers/{id}/test", null)).Content.ReadAsStringAsync())!;
        Assert.True(ok["ok"]!.GetValue<bool>());

        const string wrongKey = "sk-wrong-KEY-99887766";
        var update = await app.Web.PutAsJsonAsync($"/api/v1/teachers/{id}", new
        {
            name, kind = "AzureOpenAI", endpoint = _teacher.AzureEndpoint.ToString(), model = "gpt-4o-distill", apiVersion = "2024-10-21",
            auth = "ApiKey", apiKey = wrongKey, inputPricePerMillion = 2.5m, outputPricePerMillion = 10m, maxConcurrency = 4,
        });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var failed = await (await app.Web.PostAsync($"/api/v1/teachers/{id}/test", null)).Content.ReadAsStringAsync();
        Assert.False(JsonNode.Parse(failed)!["ok"]!.GetValue<bool>());
        Assert.Contains("401", failed);
        Assert.DoesNotContain(wrongKey, failed);
    }

    [Fact]
    public async Task An_unknown_teacher_is_the_OpenAI_model_not_found_error()
    {
        var chat = new OpenAIClient(new ApiKeyCredential("distill"), new OpenAIClientOptions { Endpoint = new Uri(app.Web.BaseAddress!, "/v1"), RetryPolicy = new ClientRetryPolicy(0) }).GetChatClient("no-such-teacher");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(404, error.Status);
        Assert.Contains("no teacher named 'no-such-teacher'", error.Message);
    }

    private Task<Guid> TeacherAsync(string name) => app.CreateAzureTeacherAsync(name, _teacher.AzureEndpoint, _teacher.Options.ApiKey, maxConcurrency: 4);
}
