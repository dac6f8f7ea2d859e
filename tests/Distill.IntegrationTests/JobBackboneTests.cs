using System.Net;
using System.Net.Http.Json;
using Distill.Core.Diagnostics;
using Distill.Core.Jobs;

namespace Distill.IntegrationTests;

/// <summary>
/// The database is the truth and messages are nudges: lost, duplicated or orphaned by a dead process, a job
/// still finishes exactly once and no step's work is done twice. Side effects are counted, not assumed.
/// </summary>
[Collection(DistillCollection.Name)]
public sealed class JobBackboneTests(DistillAppFixture app)
{
    [Fact]
    public async Task A_diagnostic_job_queued_through_the_api_completes_once_and_leaves_its_report()
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/jobs/diagnostic", new { steps = 4, stepMilliseconds = 50 });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var queued = await response.ReadAsync<JobView>();

        var job = await app.WaitForJobAsync(queued.Id, JobStatus.Succeeded);

        Assert.Equal(1, job.Attempt);
        Assert.Equal(1.0, job.Progress);
        Assert.Equal(1, await app.Events.SettledCountAsync<JobCompleted>(job.Id));
        Assert.Equal(new[] { 0, 1, 2, 3 }, (await app.DiagnosticStepAttemptsAsync(job.Id)).Where(s => s.Value.Count == 1).Select(s => s.Key).Order());
        Assert.True(await app.Blobs.GetBlobContainerClient("diagnostics").GetBlobClient($"{job.Id}.json").ExistsAsync());
        var listed = await (await app.Web.GetAsync("/api/v1/jobs")).ReadAsync<JobView[]>();
        Assert.Contains(listed, j => j.Id == job.Id && j.Status == "succeeded");
    }

    [Fact]
    public async Task Invalid_diagnostic_parameters_are_refused_naming_the_field()
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/jobs/diagnostic", new { steps = 0, stepMilliseconds = 10 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"steps\":[\"must be between 1 and 1000, not 0\"]", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_job_whose_message_was_lost_is_nudged_again_by_the_sweeper_and_completes_once()
    {
        var job = await app.AddJobWithoutNudgeAsync(JobKinds.Diagnostic, new DiagnosticPayload(3, 10));

        await Task.Delay(DistillAppFixture.RepublishAfter / 3);
        Assert.Equal(JobStatus.Queued, (await app.ReadJobAsync(job.Id)).Status);
        var done = await app.WaitForJobAsync(job.Id, JobStatus.Succeeded, TimeSpan.FromSeconds(30));

        Assert.Equal(1, done.Attempt);
        Assert.Equal(1, await app.Events.SettledCountAsync<JobCompleted>(job.Id));
        Assert.All(await app.DiagnosticStepAttemptsAsync(job.Id), s => Assert.Equal([1], s.Value));
    }

    [Fact]
    public async Task Duplicate_nudges_run_the_job_once()
    {
        var job = await app.AddJobWithoutNudgeAsync(JobKinds.Diagnostic, new DiagnosticPayload(3, 100));

        await Task.WhenAll(app.NudgeAsync(job), app.NudgeAsync(job), app.NudgeAsync(job));
        var done = await app.WaitForJobAsync(job.Id, JobStatus.Succeeded);

        Assert.Equal(1, done.Attempt);
        Assert.Equal(1, await app.Events.SettledCountAsync<JobCompleted>(job.Id));
        Assert.Equal(1, app.Events.Count<JobStarted>(job.Id));
        Assert.Equal(3, (await app.DiagnosticStepAttemptsAsync(job.Id)).Count);
        Assert.All(await app.DiagnosticStepAttemptsAsync(job.Id), s => Assert.Equal([1], s.Value));
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_is_requeued_after_the_heartbeat_timeout_and_resumes_where_it_stopped()
    {
        const int steps = 16;
        var job = await app.AddJobWithoutNudgeAsync(JobKinds.Diagnostic, new DiagnosticPayload(steps, 250));
        await app.NudgeAsync(job);
        await app.WaitForJobAsync(job.Id, j => j.Progress >= 0.25, "a quarter done");

        await app.App.StopResourceAsync("worker", kill: true);
        var doneBeforeKill = await app.DiagnosticStepAttemptsAsync(job.Id);
        Assert.Equal(JobStatus.Running, (await app.ReadJobAsync(job.Id)).Status);
        await app.App.StartResourceAsync("worker");
        var done = await app.WaitForJobAsync(job.Id, JobStatus.Succeeded, TimeSpan.FromSeconds(90));

        Assert.Equal(2, done.Attempt);
        Assert.Equal(1, await app.Events.SettledCountAsync<JobCompleted>(job.Id));
        var attempts = await app.DiagnosticStepAttemptsAsync(job.Id);
        Assert.Equal(Enumerable.Range(0, steps), attempts.Keys.Order());
        Assert.All(attempts, s => Assert.Single(s.Value));
        Assert.InRange(doneBeforeKill.Count, 4, steps - 1);
        Assert.All(doneBeforeKill, s => Assert.Equal([1], attempts[s.Key]));
        Assert.All(attempts.Where(s => !doneBeforeKill.ContainsKey(s.Key)), s => Assert.Equal([2], s.Value));
    }

    [Fact]
    public async Task A_running_job_can_be_cancelled()
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/jobs/diagnostic", new { steps = 200, stepMilliseconds = 100 });
        var queued = await response.ReadAsync<JobView>();
        await app.WaitForJobAsync(queued.Id, j => j.Status == JobStatus.Running && j.Progress > 0, "running");

        Assert.Equal(HttpStatusCode.Accepted, (await app.Web.PostAsync($"/api/v1/jobs/{queued.Id}/cancel", null)).StatusCode);
        var cancelled = await app.WaitForJobAsync(queued.Id, JobStatus.Cancelled, TimeSpan.FromSeconds(15));

        Assert.True(cancelled.Progress < 1);
        Assert.Equal(1, await app.Events.SettledCountAsync<JobCancelled>(queued.Id));
        Assert.Equal(HttpStatusCode.Conflict, (await app.Web.PostAsync($"/api/v1/jobs/{queued.Id}/cancel", null)).StatusCode);
    }
}
