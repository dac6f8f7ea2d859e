using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Core.Teachers;
using Distill.Testing.FakeTeacher;
using Microsoft.EntityFrameworkCore;

namespace Distill.IntegrationTests;

/// <summary>
/// Teacher generation pays once per example whatever happens to the Worker. The teacher is the fake Azure OpenAI
/// server (a test fixture speaking Azure's wire format), called by the real Azure.AI.OpenAI SDK inside the Worker
/// with a key the Web encrypted; the server counts every answer it delivers.
/// </summary>
[Collection(DistillCollection.Name)]
public sealed class TeacherGenerationTests(DistillAppFixture app) : IAsyncLifetime
{
    private FakeTeacherServer _teacher = null!;

    public async Task InitializeAsync() => _teacher = await FakeTeacherServer.StartAsync();

    public async Task DisposeAsync() => await _teacher.DisposeAsync();

    [Fact]
    public async Task A_worker_killed_in_the_middle_of_a_1000_example_generation_resumes_and_every_example_is_answered_exactly_once()
    {
        const int examples = 1000;
        _teacher.Delay = TimeSpan.FromMilliseconds(40);
        var teacher = await TeacherAsync(maxConcurrency: 8);
        var source = await PromptsAsync(examples);

        var job = await app.StartJobAsync($"/api/v1/versions/{source}/generations", new { teacherId = teacher, maxOutputTokens = 64, minSuccessRatio = 1.0 });
        await WaitForAnswersAsync(job, atLeast: 200);
        await app.App.StopResourceAsync("worker", kill: true);
        var answeredBeforeKill = await AnsweredAsync(job);
        Assert.InRange(answeredBeforeKill, 200, examples - 1);
        await app.App.StartResourceAsync("worker");
        var done = await app.WaitForJobAsync(job, JobStatus.Succeeded, TimeSpan.FromSeconds(180));

        Assert.Equal(2, done.Attempt);
        var answers = _teacher.AnswersByExample;
        Assert.Equal(examples, answers.Count);
        Assert.All(answers, a => Assert.Equal(1, a.Value));
        await using var db = app.OpenDatabase();
        var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.JobId == job);
        Assert.Equal((DatasetVersionStatus.Ready, examples), (version.Status, version.CountAfter));
        var sample = await db.Examples.AsNoTracking().Where(e => e.DatasetVersionId == version.Id).OrderBy(e => e.Ordinal).FirstAsync();
        var record = ExampleJson.Read(sample.Messages, sample.Metadata);
        Assert.Equal(ExampleMessage.Assistant, record.Messages[^1].Role);
        Assert.False(string.IsNullOrWhiteSpace(record.Completion));
        Assert.Equal(teacher, sample.TeacherId);
        Assert.True(sample.Cost > 0);
        var report = JsonNode.Parse(version.Report!)!;
        Assert.Equal(examples, report["answered"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_generation_below_its_minimum_success_ratio_fails_with_a_report_and_keeps_what_was_answered()
    {
        var teacher = await TeacherAsync(maxConcurrency: 2);
        var source = await PromptsAsync(10);
        _teacher.FaultPlan = (_, request) => request.ExampleKey.EndsWith('3') || request.ExampleKey.EndsWith('7')
            ? FakeTeacherFault.Rejected(400, "This model's maximum context length was exceeded.")
            : null;

        var job = await app.StartJobAsync($"/api/v1/versions/{source}/generations", new { teacherId = teacher, maxOutputTokens = 16, minSuccessRatio = 0.9 });
        var failed = await app.WaitForJobAsync(job, JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Contains("Only 8 of 10 examples were answered", failed.Error);
        Assert.Contains("maximum context length", failed.Error);
        Assert.Equal(DatasetVersionStatus.Failed, (await app.VersionOfJobAsync(job)).Status);
        await using (var db = app.OpenDatabase())
        {
            Assert.Equal(8, await db.TeacherAnswers.CountAsync(a => a.JobId == job && a.Status == TeacherAnswerStatus.Answered));
        }

        // Started again once the cause is fixed, the same generation pays only for the two it lacked.
        _teacher.FaultPlan = null;
        var again = await app.StartJobAsync($"/api/v1/versions/{source}/generations", new { teacherId = teacher, maxOutputTokens = 16, minSuccessRatio = 0.9 });
        await app.WaitForJobAsync(again, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        Assert.Equal(10, (await app.VersionOfJobAsync(again)).CountAfter);
        Assert.All(_teacher.AnswersByExample, a => Assert.Equal(1, a.Value));
        Assert.Equal(10, _teacher.AnswersByExample.Count);
    }

    private Task<Guid> TeacherAsync(int maxConcurrency) =>
        app.CreateAzureTeacherAsync("fake-azure-" + Guid.NewGuid().ToString("N")[..6], _teacher.AzureEndpoint, _teacher.Options.ApiKey, maxConcurrency, storeCompletions: true);

    private async Task<Guid> PromptsAsync(int count) =>
        (await app.ImportAsync(
            await app.CreateDatasetAsync("gen"),
            Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new { prompt = $"Explain item {i} in one sentence." })),
            "PromptCompletion",
            requireAssistantReply: false)).Id;

    private async Task<int> AnsweredAsync(Guid job)
    {
        await using var db = app.OpenDatabase();
        return await db.TeacherAnswers.CountAsync(a => a.JobId == job && a.Status == TeacherAnswerStatus.Answered);
    }

    private async Task WaitForAnswersAsync(Guid job, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (await AnsweredAsync(job) < atLeast)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {atLeast} answers after 90 s; job: {(await app.ReadJobAsync(job)).Error}");
            await Task.Delay(50);
        }
    }
}
