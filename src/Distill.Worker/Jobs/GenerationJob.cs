using System.Runtime.CompilerServices;
using System.Text.Json;
using Distill.Core.Data;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Core.Teachers;
using Distill.ServiceDefaults.DataProtection;
using Distill.Teachers;
using Distill.Worker.Datasets;
using Microsoft.EntityFrameworkCore;

namespace Distill.Worker.Jobs;

/// <summary>
/// Runs a teacher over a ready version's prompts and makes a new version of its answers. Money is never spent twice
/// on one example: each answer commits to <c>teacher_answers</c> the moment it arrives, a rerun asks only about
/// examples without one, and an example that was in flight when the process died is first looked up in the
/// teacher's own stored completions (by the job and example metadata it was sent with).
/// </summary>
internal sealed partial class GenerationJob(
    DistillDbContext db,
    IDbContextFactory<DistillDbContext> contexts,
    DatasetVersionReader reader,
    DatasetVersionWriter writer,
    TeacherKeyProtector keys,
    TeacherClientFactory clients,
    ILogger<GenerationJob> logger) : IJobHandler
{
    public const string JobMetadataKey = "distill_job";
    public const string ExampleMetadataKey = "distill_example";

    public string Kind => JobKinds.Generate;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload<GenerationPayload>();
        var request = payload.Request;
        var jobId = context.Job.Id;
        var teacher = await db.Teachers.AsNoTracking().FirstOrDefaultAsync(t => t.Id == request.TeacherId, cancellationToken)
            ?? throw new InvalidOperationException("The job's teacher was deleted; create the generation again with another teacher.");
        await reader.ReadyVersionAsync(payload.SourceVersionId, cancellationToken);
        var version = await writer.BeginAsync(
            jobId, payload.DatasetId, payload.SourceVersionId, DatasetOperations.Generate, JsonSerializer.Serialize(request, JobPayload.Json), cancellationToken);
        if (version.Status == DatasetVersionStatus.Ready)
        {
            return;
        }

        var sources = new List<StoredExample>();
        await foreach (var example in reader.ReadAsync(payload.SourceVersionId, cancellationToken))
        {
            sources.Add(example);
        }

        using var client = clients.Create(teacher, keys.ApiKeyOf(teacher));
        var reused = await ReuseEarlierAnswersAsync(context.Job, cancellationToken);
        var recovered = await RecoverInFlightAsync(client, jobId, cancellationToken);
        var answered = (await db.TeacherAnswers.AsNoTracking().Where(a => a.JobId == jobId && a.Status == TeacherAnswerStatus.Answered)
            .Select(a => a.SourceExampleId).ToListAsync(cancellationToken)).ToHashSet();
        var work = sources.Where(s => !answered.Contains(s.Id)).Select(s => new TeacherWorkItem(s.Id.ToString(), new TeacherRequest(s.Record.Prompt)
        {
            Temperature = (float?)request.Temperature,
            MaxOutputTokens = request.MaxOutputTokens,
            TopLogprobs = teacher.SupportsLogprobs ? request.TopLogprobs : null,
            Store = teacher.StoreCompletions,
            Metadata = new Dictionary<string, string> { [JobMetadataKey] = jobId.ToString(), [ExampleMetadataKey] = s.Id.ToString() },
        })).ToArray();
        LogResuming(jobId, teacher.Name, sources.Count, answered.Count, reused, recovered, work.Length);

        var progress = new GenerationProgress(context, sources.Count, answered.Count);
        var generation = new TeacherGeneration(client, new TeacherGenerationOptions { Sending = (item, ct) => MarkSendingAsync(jobId, item, ct) });
        TeacherGenerationSummary summary;
        await using (progress.Start(cancellationToken))
        {
            summary = await generation.RunAsync(work, (item, answer, ct) => RecordAsync(jobId, long.Parse(item.Id), answer, ct), progress, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var answers = await db.TeacherAnswers.AsNoTracking().Where(a => a.JobId == jobId && a.Status == TeacherAnswerStatus.Answered)
            .ToDictionaryAsync(a => a.SourceExampleId, cancellationToken);
        var ratio = sources.Count == 0 ? 1 : answers.Count / (double)sources.Count;
        var report = JsonSerializer.Serialize(new
        {
            Examples = sources.Count, Answered = answers.Count, Reused = reused, Recovered = recovered, Failed = summary.Failed, summary.Requests, summary.Retries,
            InputTokens = answers.Values.Sum(a => (long)a.InputTokens), OutputTokens = answers.Values.Sum(a => (long)a.OutputTokens),
            Cost = answers.Values.Sum(a => a.Cost), FailureReasons = summary.FailureReasons.Select(f => new { f.Reason, f.Count }),
        }, JobPayload.Json);
        if (ratio < request.MinSuccessRatio)
        {
            var reason = $"Only {answers.Count} of {sources.Count} examples were answered ({ratio:P1}), below the minimum of {request.MinSuccessRatio:P0}. {summary.Describe()} The answers received are kept: starting the same generation again asks only about the rest.";
            await writer.FailAsync(version, reason, cancellationToken);
            throw new InvalidOperationException(reason);
        }

        await context.ReportProgressAsync(0.97, "writing the version", cancellationToken);
        await writer.AppendAsync(version, AnsweredExamples(sources, answers, teacher), cancellationToken);
        await writer.CompleteAsync(version, sources.Count, report, cancellationToken);
    }

    /// <summary>
    /// The same generation started again (same source, teacher and parameters) after one that failed or was
    /// cancelled: the answers that one paid for are copied, not asked for again.
    /// </summary>
    private async Task<int> ReuseEarlierAnswersAsync(Job job, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO teacher_answers (job_id, source_example_id, status, text, finish_reason, input_tokens, output_tokens, cost, completion_id, logprobs, attempts, dispatched_at, answered_at)
            SELECT DISTINCT ON (a.source_example_id) {job.Id}, a.source_example_id, a.status, a.text, a.finish_reason, a.input_tokens, a.output_tokens, a.cost,
                   a.completion_id, a.logprobs, a.attempts, a.dispatched_at, a.answered_at
            FROM teacher_answers a JOIN jobs j ON j.id = a.job_id
            WHERE j.kind = {JobKinds.Generate} AND j.id <> {job.Id} AND j.payload = {job.Payload}::jsonb AND a.status = 'answered'
            ORDER BY a.source_example_id, a.answered_at
            ON CONFLICT (job_id, source_example_id) DO NOTHING
            """, cancellationToken);

    /// <summary>Examples sent before a crash and never recorded: the service may have kept their answers.</summary>
    private async Task<int> RecoverInFlightAsync(TeacherClient client, Guid jobId, CancellationToken cancellationToken)
    {
        if (!client.Teacher.StoreCompletions)
        {
            return 0;
        }

        var inFlight = await db.TeacherAnswers.AsNoTracking().Where(a => a.JobId == jobId && a.Status == TeacherAnswerStatus.Dispatched)
            .Select(a => a.SourceExampleId).ToListAsync(cancellationToken);
        var recovered = 0;
        foreach (var exampleId in inFlight)
        {
            var metadata = new Dictionary<string, string> { [JobMetadataKey] = jobId.ToString(), [ExampleMetadataKey] = exampleId.ToString() };
            if (await TeacherStoredCompletions.FindAsync(client, metadata, cancellationToken) is { } answer)
            {
                await RecordAsync(jobId, exampleId, answer, cancellationToken);
                recovered++;
            }
        }

        return recovered;
    }

    private async ValueTask MarkSendingAsync(Guid jobId, TeacherWorkItem item, CancellationToken cancellationToken)
    {
        await using var answers = await contexts.CreateDbContextAsync(cancellationToken);
        await answers.Database.ExecuteSqlAsync($"""
            INSERT INTO teacher_answers (job_id, source_example_id, status, input_tokens, output_tokens, cost, attempts, dispatched_at)
            VALUES ({jobId}, {long.Parse(item.Id)}, 'dispatched', 0, 0, 0, 1, now())
            ON CONFLICT (job_id, source_example_id) DO UPDATE SET attempts = teacher_answers.attempts + 1, dispatched_at = now()
            WHERE teacher_answers.status <> 'answered'
            """, cancellationToken);
    }

    private async ValueTask RecordAsync(Guid jobId, long exampleId, TeacherAnswer answer, CancellationToken cancellationToken)
    {
        var logprobs = answer.Logprobs is { Count: > 0 } tokens ? JsonSerializer.Serialize(tokens, JobPayload.Json) : null;
        await using var answers = await contexts.CreateDbContextAsync(CancellationToken.None);
        // Never cancelled: the answer is paid for, so it is recorded even while the job is being stopped.
        await answers.Database.ExecuteSqlAsync($"""
            INSERT INTO teacher_answers (job_id, source_example_id, status, text, finish_reason, input_tokens, output_tokens, cost, completion_id, logprobs, attempts, dispatched_at, answered_at)
            VALUES ({jobId}, {exampleId}, 'answered', {answer.Text}, {answer.FinishReason}, {answer.InputTokens}, {answer.OutputTokens}, {answer.Cost}, {answer.CompletionId}, {logprobs}::jsonb, 1, now(), now())
            ON CONFLICT (job_id, source_example_id) DO UPDATE SET status = 'answered', text = excluded.text, finish_reason = excluded.finish_reason,
                input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, cost = excluded.cost, completion_id = excluded.completion_id,
                logprobs = excluded.logprobs, answered_at = now()
            WHERE teacher_answers.status <> 'answered'
            """, CancellationToken.None);
    }

    private static async IAsyncEnumerable<NewExample> AnsweredExamples(
        IReadOnlyList<StoredExample> sources, IReadOnlyDictionary<long, TeacherAnswerRecord> answers, Teacher teacher,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var source in sources)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!answers.TryGetValue(source.Id, out var answer))
            {
                continue;
            }

            var metadata = new Dictionary<string, string>(source.Record.Metadata) { ["teacher"] = teacher.Name };
            if (answer.CompletionId is { } completionId)
            {
                metadata["completion_id"] = completionId;
            }

            var record = new ExampleRecord([.. source.Record.Prompt, new ExampleMessage(ExampleMessage.Assistant, answer.Text)], metadata);
            yield return new NewExample(source.Ordinal, source.Split, record, answer.InputTokens, answer.OutputTokens, teacher.Id, answer.Cost, answer.Logprobs);
        }

        await Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Generation {JobId} with {Teacher}: {Examples} examples, {Answered} already answered ({Reused} from an earlier run of the same generation, {Recovered} recovered from the teacher's stored completions), {Remaining} to ask")]
    private partial void LogResuming(Guid jobId, string teacher, int examples, int answered, int reused, int recovered, int remaining);

    /// <summary>Live progress from the engine's totals, sent to the job row once a second rather than per answer.</summary>
    private sealed class GenerationProgress(JobContext context, int total, int answeredBefore) : IProgress<TeacherGenerationProgress>
    {
        private TeacherGenerationProgress? _latest;

        public void Report(TeacherGenerationProgress value) => _latest = value;

        public IAsyncDisposable Start(CancellationToken cancellationToken)
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var loop = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    if (_latest is { } p)
                    {
                        var done = answeredBefore + p.Answered;
                        await context.ReportProgressAsync(0.95 * done / Math.Max(1, total),
                            $"{done:N0} of {total:N0} answered, {p.Failed:N0} failed; {p.InputTokens + p.OutputTokens:N0} tokens, ${p.Cost:N4}", stop.Token);
                    }
                }
            });
            return new Stopper(stop, loop);
        }

        private sealed class Stopper(CancellationTokenSource stop, Task loop) : IAsyncDisposable
        {
            public async ValueTask DisposeAsync()
            {
                await stop.CancelAsync();
                try
                {
                    await loop;
                }
                catch (OperationCanceledException)
                {
                }

                stop.Dispose();
            }
        }
    }
}
