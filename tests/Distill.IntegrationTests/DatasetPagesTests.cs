using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Distill.Core.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Distill.IntegrationTests;

/// <summary>The dataset pages in real Chromium: browsing a version's examples, and creating a dataset and importing into it.</summary>
[Collection(DistillCollection.Name)]
public sealed class DatasetPagesTests(DistillAppFixture app) : IAsyncLifetime
{
    private const int SeededExamples = 120;
    private const string UniqueWord = "zanzibarquokka";
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await HeadlessChromium.StartAsync(app.App.GetEndpoint("web"));

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task A_ready_version_pages_searches_filters_opens_an_example_and_charts_its_statistics()
    {
        var (datasetId, versionId) = await SeedReadyVersionAsync();
        var page = await _chromium.Context.NewPageAsync();
        await page.GotoAsync($"/datasets/{datasetId}/versions/{versionId}");
        await Expect(page.GetByTestId("example-total")).ToHaveTextAsync($"{SeededExamples} examples");

        var firstOrdinal = page.GetByTestId("examples-grid").Locator("tbody tr").First.Locator("td").First;
        await Expect(firstOrdinal).ToHaveTextAsync("0");
        await page.Locator("button[aria-label='Next page']").ClickAsync();
        await Expect(firstOrdinal).ToHaveTextAsync("50");

        // A search goes back to the first page and finds the one example with the word.
        await page.FillFieldAsync("example-search", UniqueWord);
        await Expect(page.GetByTestId("example-total")).ToHaveTextAsync("1 example");
        await Expect(page.GetByTestId("examples-grid").Locator("tbody tr")).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("example-prompt")).ToContainTextAsync(UniqueWord);

        await page.FillFieldAsync("example-search", "");
        await Expect(page.GetByTestId("example-total")).ToHaveTextAsync($"{SeededExamples} examples");
        await page.FillFieldAsync("example-metadata", "lang:de");
        await page.Input("example-metadata").PressAsync("Enter");
        await Expect(page.GetByTestId("metadata-chip")).ToContainTextAsync("lang:de");
        await Expect(page.GetByTestId("example-total")).ToHaveTextAsync($"{SeededExamples / 3} examples");

        // Example 3 is the second German one: its row opens the whole conversation.
        await page.GetByTestId("examples-grid").Locator("tbody tr").Nth(1).ClickAsync();
        var dialog = page.GetByTestId("example-dialog");
        await Expect(dialog.GetByTestId("example-message")).ToHaveCountAsync(2);
        await Expect(dialog.GetByTestId("example-message").First).ToContainTextAsync("Question 3");
        await Expect(dialog.GetByTestId("teacher-output")).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Tab, new() { NameRegex = new("^Metadata") }).ClickAsync();
        await Expect(dialog.GetByTestId("example-metadata-table")).ToContainTextAsync("de");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "example-dialog.png"), FullPage = true });
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToHaveCountAsync(0);

        // A download is a plain link the browser follows, not a route for the Blazor router to swallow.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("download-validation").ClickAsync());
        Assert.Equal("v1-validation.jsonl", download.SuggestedFilename);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Statistics" }).ClickAsync();
        await Expect(page.GetByTestId("chart-token-lengths").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-splits").Locator("svg").First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("chart-metadata-lang").Locator("svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "version-statistics.png"), FullPage = true });
    }

    [Fact]
    public async Task The_dataset_page_lists_versions_and_a_curation_started_there_makes_the_next_one()
    {
        var (datasetId, _) = await SeedReadyVersionAsync();
        var page = await _chromium.Context.NewPageAsync();
        await page.GotoAsync($"/datasets/{datasetId}");
        await Expect(page.GetByTestId("version-1")).ToContainTextAsync($"{SeededExamples} examples");

        await page.GetByTestId("curate-1").ClickAsync();
        await page.ChooseAsync("curate-operation", DatasetOperations.Sample);
        await Expect(page.Input("curate-parameters")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("\"count\""));
        // Not JSON: the dialog says so on the field and queues nothing.
        await page.FillFieldAsync("curate-parameters", "{ count: ");
        await page.GetByTestId("curate-start").ClickAsync();
        await Expect(page.Field("curate-parameters")).ToContainTextAsync("not JSON");

        await page.FillFieldAsync("curate-parameters", """{ "count": 10, "seed": 1 }""");
        await page.GetByTestId("curate-start").ClickAsync();
        // The job shows where it was started, and again on the version it makes once the Worker has begun it.
        var progress = page.GetByTestId("job-progress").First;
        await Expect(progress).ToHaveAttributeAsync("data-job-kind", JobKinds.Curate);
        await Expect(page.GetByTestId("version-2")).ToContainTextAsync("10 examples");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "dataset-page.png"), FullPage = true });

        await using var db = app.OpenDatabase();
        var jobId = Guid.Parse((await progress.GetAttributeAsync("data-job-id"))!);
        var payload = JsonSerializer.Deserialize<CurationPayload>((await db.Jobs.SingleAsync(j => j.Id == jobId)).Payload, JobPayload.Json)!;
        Assert.Equal(DatasetOperations.Sample, payload.Request.Operation);
        Assert.Equal(10, payload.Request.Parameters.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_dataset_created_on_the_page_receives_an_upload_from_the_browser_and_shows_what_its_import_did_with_every_line()
    {
        var name = "dataset-" + Guid.NewGuid().ToString("N")[..8];
        var page = await _chromium.Context.NewPageAsync();
        await page.GotoAsync("/datasets");
        await Expect(page.GetByTestId("datasets-table")).ToBeVisibleAsync();

        await page.GetByTestId("new-dataset").ClickAsync();
        await page.FillFieldAsync("dataset-name", name);
        await page.GetByTestId("dataset-save").ClickAsync();
        await Expect(page.GetByTestId($"dataset-{name}")).ToBeVisibleAsync();

        var file = Encoding.UTF8.GetBytes(
            """
            {"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]}
            {"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"4"}]}
            {"messages":[{"role":"robot","content":"beep"},{"role":"assistant","content":"?"}]}

            """);
        await page.ChooseAsync("import-error-mode", "quarantine them, import the rest");
        await page.GetByTestId("import-file").SetInputFilesAsync(new FilePayload { Name = "tiny.jsonl", MimeType = "application/jsonl", Buffer = file });
        await page.GetByTestId("import-start").ClickAsync();
        await Expect(page.GetByTestId("upload-state")).ToContainTextAsync("uploaded");
        await Expect(page.GetByTestId("job-progress")).ToHaveAttributeAsync("data-job-kind", JobKinds.Import);
        await Expect(page.GetByTestId("import-accepted")).ToContainTextAsync("2 accepted");
        await Expect(page.GetByTestId("import-rejected")).ToContainTextAsync("1 rejected");
        await Expect(page.GetByTestId("import-outcome")).ToContainTextAsync("line 3: messages[0].role");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "datasets-import.png"), FullPage = true });

        await using var db = app.OpenDatabase();
        var datasetId = (await db.Datasets.SingleAsync(d => d.Name == name)).Id;
        var jobId = Guid.Parse((await page.GetByTestId("job-progress").GetAttributeAsync("data-job-id"))!);
        var job = await db.Jobs.SingleAsync(j => j.Id == jobId);
        Assert.Equal(JobKinds.Import, job.Kind);
        var payload = JsonSerializer.Deserialize<ImportPayload>(job.Payload, JobPayload.Json)!;
        Assert.Equal(datasetId, payload.DatasetId);
        Assert.Equal(Distill.Core.Imports.ImportFormat.ChatMessages, payload.Request.Format);

        // The bytes went from the browser to POST /api/v1/uploads, whole.
        var upload = await db.Uploads.SingleAsync(u => u.Id == payload.Request.UploadId);
        Assert.Equal("tiny.jsonl", upload.FileName);
        Assert.True(upload.Complete);
        Assert.Equal(file.Length, upload.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(file)), upload.Sha256);
    }

    /// <summary>A version as an import would leave it: Ready, its examples written, its statistics computed.</summary>
    private async Task<(Guid Dataset, Guid Version)> SeedReadyVersionAsync()
    {
        var now = DateTime.UtcNow;
        var dataset = new Dataset { Id = Guid.CreateVersion7(), ProjectId = Project.DefaultId, Name = "browse-" + Guid.NewGuid().ToString("N")[..8], CreatedAt = now };
        var examples = Enumerable.Range(0, SeededExamples).Select(i =>
        {
            var question = i == 37 ? $"Question {i}: what is a {UniqueWord}?" : $"Question {i}: what is {i} squared?";
            var record = new ExampleRecord(
                [new ExampleMessage(ExampleMessage.User, question), new ExampleMessage(ExampleMessage.Assistant, $"It is {i * i}.")],
                new Dictionary<string, string> { ["lang"] = i % 3 == 0 ? "de" : "en", ["source"] = "seed" });
            return (Record: record, Split: i % 10 == 0 ? DatasetSplits.Validation : DatasetSplits.Train, Tokens: 8 + i % 40);
        }).ToArray();
        var statistics = new DatasetStatistics(
            SeededExamples,
            examples.GroupBy(e => e.Split).ToDictionary(g => g.Key, g => (long)g.Count()),
            examples.Sum(e => e.Tokens + 4L),
            0m,
            [new TokenLengthBucket(0, 16, 8), new TokenLengthBucket(16, 32, 48), new TokenLengthBucket(32, 64, 64)],
            [
                new MetadataKeyStatistics("lang", 2, SeededExamples, [new("en", 80), new("de", 40)]),
                new MetadataKeyStatistics("source", 1, SeededExamples, [new("seed", SeededExamples)]),
            ]);
        var version = new DatasetVersion
        {
            Id = Guid.CreateVersion7(), DatasetId = dataset.Id, Number = 1, Operation = DatasetOperations.Import, Parameters = """{"format":"chat"}""",
            Status = DatasetVersionStatus.Ready, CountAfter = SeededExamples, ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataset.Name))),
            Statistics = JsonSerializer.Serialize(statistics, ExampleJson.Options), CreatedAt = now, CompletedAt = now,
        };

        await using var db = app.OpenDatabase();
        db.Datasets.Add(dataset);
        db.DatasetVersions.Add(version);
        db.Examples.AddRange(examples.Select((e, i) => new Example
        {
            DatasetVersionId = version.Id, Ordinal = i, Split = e.Split, Messages = ExampleJson.Messages(e.Record.Messages),
            Metadata = ExampleJson.Metadata(e.Record.Metadata), ContentHash = Distill.Core.Curation.CanonicalJsonl.ContentHash(e.Record),
            PromptTokens = e.Tokens, CompletionTokens = 4, CreatedAt = now,
        }));
        await db.SaveChangesAsync();
        return (dataset.Id, version.Id);
    }
}
