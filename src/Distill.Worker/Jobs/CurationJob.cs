using System.Runtime.CompilerServices;
using System.Text.Json;
using Distill.Core.Curation;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Worker.Datasets;

namespace Distill.Worker.Jobs;

/// <summary>
/// Makes a new version from a ready one by one curation operation. The operations are pure functions over the
/// parent's items; this job reads the parent, runs one, and writes what it kept, with the counts and reasons as the
/// new version's lineage report.
/// </summary>
internal sealed class CurationJob(DatasetVersionReader reader, DatasetVersionWriter writer) : IJobHandler
{
    private const int RemovalsReported = 1000;

    public string Kind => JobKinds.Curate;

    public async Task RunAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.Payload<CurationPayload>();
        var (parameters, errors) = CurationParametersJson.Read(payload.Request.Operation, payload.Request.Parameters);
        if (parameters is null || errors.Count > 0)
        {
            throw new InvalidOperationException($"Invalid {payload.Request.Operation} parameters: {string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))}");
        }

        await reader.ReadyVersionAsync(payload.ParentVersionId, cancellationToken);
        var version = await writer.BeginAsync(
            context.Job.Id, payload.DatasetId, payload.ParentVersionId, parameters.Operation, CurationOperations.WriteParameters(parameters), cancellationToken);
        if (version.Status == DatasetVersionStatus.Ready)
        {
            return;
        }

        var stored = new Dictionary<long, StoredExample>();
        await foreach (var example in reader.ReadAsync(payload.ParentVersionId, cancellationToken))
        {
            stored[example.Id] = example;
        }

        await context.ReportProgressAsync(0.2, $"{parameters.Operation} over {stored.Count:N0} examples", cancellationToken);
        var items = stored.Values.Select(e => new CurationItem(e.Id, e.Record, e.Split, e.CreatedAt, new ExampleTokenCounts(e.PromptTokens, e.CompletionTokens))).ToArray();
        var evaluation = payload.Request.EvaluationVersionId is { } evaluationId ? await RecordsAsync(evaluationId, cancellationToken) : null;
        var result = CurationOperations.Run(parameters, items, new CurationContext(evaluation));

        await context.ReportProgressAsync(0.6, $"kept {result.Counts.After:N0} of {result.Counts.Before:N0}", cancellationToken);
        await writer.AppendAsync(version, Kept(result, stored), cancellationToken);
        var report = JsonSerializer.Serialize(new
        {
            result.Counts.Operation, result.Counts.Before, result.Counts.After, result.Counts.RemovedByReason, result.Counts.Tallies,
            Removed = result.Removed.Take(RemovalsReported),
        }, JobPayload.Json);
        await writer.CompleteAsync(version, result.Counts.Before, report, cancellationToken);
    }

    private static async IAsyncEnumerable<NewExample> Kept(CurationResult result, Dictionary<long, StoredExample> stored, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in result.Items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return stored[item.Id].Carry(item.Record, item.Split);
        }

        await Task.CompletedTask;
    }

    private async Task<IReadOnlyList<ExampleRecord>> RecordsAsync(Guid evaluation, CancellationToken cancellationToken)
    {
        await reader.ReadyVersionAsync(evaluation, cancellationToken);
        var records = new List<ExampleRecord>();
        await foreach (var example in reader.ReadAsync(evaluation, cancellationToken))
        {
            records.Add(example.Record);
        }

        return records;
    }
}
