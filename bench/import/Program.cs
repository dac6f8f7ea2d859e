using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Distill.Bench.Common;
using Distill.Core.Curation;
using Distill.Core.Datasets;
using Distill.Core.Imports;
using Distill.Worker.Jobs;
using Npgsql;
using NpgsqlTypes;

// The import job's own path (stream a JSONL file, parse and validate every line, COPY the accepted examples) against
// the floor any import has to pay: a binary COPY of exactly the same rows, prepared in memory beforehand, into the
// same table with the same indexes. Both run in the same process against the same Postgres, reference first.
var count = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var file = Path.Combine(Path.GetTempPath(), $"distill-bench-import-{count}.jsonl");
var chats = new SyntheticChats(seed: 11);
await using (var writer = new StreamWriter(file))
{
    for (var i = 0; i < count; i++)
    {
        var record = chats.Next(i);
        await writer.WriteLineAsync(JsonSerializer.Serialize(new { messages = record.Messages, metadata = record.Metadata }, ExampleJson.Options));
    }
}

Console.WriteLine($"file: {count:N0} lines, {new FileInfo(file).Length / 1e6:N0} MB");
await using var database = await BenchDatabase.StartAsync("import");

// The reference's rows are exactly what the import inserts, computed before the clock starts.
var rows = new List<(string Messages, string Metadata, string Hash, int Prompt, int Completion)>(count);
var summary = new ImportSummary();
await using (var input = File.OpenRead(file))
{
    foreach (var record in new ExampleImporter(new ImportOptions(ImportFormat.ChatMessages) { RequireAssistantReply = true }).Read(input, summary))
    {
        var example = ImportJob.Imported((AcceptedRecord)record, rows.Count);
        rows.Add((ExampleJson.Messages(example.Record.Messages), ExampleJson.Metadata(example.Record.Metadata), CanonicalJsonl.ContentHash(example.Record), example.PromptTokens, example.CompletionTokens));
    }
}

var reference = await database.NewVersionAsync("reference");
var copyClock = Stopwatch.StartNew();
await using (var connection = await database.DataSource.OpenConnectionAsync())
await using (var copy = await connection.BeginBinaryImportAsync(
    "COPY examples (dataset_version_id, ordinal, split, messages, metadata, content_hash, prompt_tokens, completion_tokens, created_at) FROM STDIN (FORMAT BINARY)"))
{
    var now = DateTime.UtcNow;
    for (var i = 0; i < rows.Count; i++)
    {
        await copy.StartRowAsync();
        await copy.WriteAsync(reference.Id, NpgsqlDbType.Uuid);
        await copy.WriteAsync((long)i, NpgsqlDbType.Bigint);
        await copy.WriteAsync(DatasetSplits.Train, NpgsqlDbType.Varchar);
        await copy.WriteAsync(rows[i].Messages, NpgsqlDbType.Jsonb);
        await copy.WriteAsync(rows[i].Metadata, NpgsqlDbType.Jsonb);
        await copy.WriteAsync(rows[i].Hash, NpgsqlDbType.Varchar);
        await copy.WriteAsync(rows[i].Prompt, NpgsqlDbType.Integer);
        await copy.WriteAsync(rows[i].Completion, NpgsqlDbType.Integer);
        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
    }

    await copy.CompleteAsync();
}

var copySeconds = copyClock.Elapsed.TotalSeconds;
Console.WriteLine($"raw COPY of the prepared rows: {copySeconds:F1} s, {count / copySeconds:N0} rows/s");
rows = null;
GC.Collect();

var imported = await database.NewVersionAsync("import");
var importClock = Stopwatch.StartNew();
var importSummary = new ImportSummary();
long written;
await using (var input = File.OpenRead(file))
{
    var importer = new ExampleImporter(new ImportOptions(ImportFormat.ChatMessages) { RequireAssistantReply = true });
    written = await BenchExamples.Writer(database).AppendAsync(imported, Accepted(importer.ReadAsync(input, importSummary)), CancellationToken.None);
}

var importSeconds = importClock.Elapsed.TotalSeconds;
Console.WriteLine($"import (parse, validate, COPY): {importSeconds:F1} s, {written / importSeconds:N0} examples/s; {importSummary}");
File.Delete(file);

Console.WriteLine($"examples={written}");
Console.WriteLine($"copy_rows_per_s={count / copySeconds:F0}");
Console.WriteLine($"import_examples_per_s={written / importSeconds:F0}");
Console.WriteLine($"import_ratio_vs_copy={copySeconds / importSeconds:F3}");
return;

static async IAsyncEnumerable<Distill.Worker.Datasets.NewExample> Accepted(IAsyncEnumerable<ImportRecord> records, [EnumeratorCancellation] CancellationToken cancellationToken = default)
{
    long ordinal = 0;
    await foreach (var record in records.WithCancellation(cancellationToken))
    {
        if (record is AcceptedRecord accepted)
        {
            yield return ImportJob.Imported(accepted, ordinal++);
        }
    }
}
