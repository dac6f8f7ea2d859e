using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Distill.IntegrationTests;

/// <summary>
/// The dataset workflow through the API and the Worker, against real Postgres, RabbitMQ and Azurite: uploads are
/// imported all-or-quarantined, curation makes immutable hashed versions with lineage, files are downloadable.
/// </summary>
[Collection(DistillCollection.Name)]
public sealed class DatasetWorkflowTests(DistillAppFixture app)
{
    private static string Chat(string question, string answer, string topic) =>
        JsonSerializer.Serialize(new
        {
            messages = new object[] { new { role = "user", content = question }, new { role = "assistant", content = answer } },
            metadata = new { topic },
        });

    [Fact]
    public async Task An_import_with_bad_lines_keeps_the_good_ones_and_quarantines_the_rest_with_line_field_and_reason()
    {
        var dataset = await app.CreateDatasetAsync("wf");
        var lines = Enumerable.Range(0, 40).Select(i => Chat($"question {i}", $"answer {i}", i % 2 == 0 ? "billing" : "shipping")).ToList();
        lines[6] = """{"messages":[{"role":"wizard","content":"hi"},{"role":"assistant","content":"x"}]}""";
        lines[19] = """{"messages":[{"role":"user","content":"cut""";
        var upload = await app.UploadAsync(string.Join("\r\n", lines) + "\r\n", "mixed.jsonl");

        var job = await app.StartJobAsync($"/api/v1/datasets/{dataset}/imports", new { uploadId = upload, format = "ChatMessages", errorMode = "Quarantine" });
        await app.WaitForJobAsync(job, JobStatus.Succeeded, TimeSpan.FromSeconds(60));

        var import = JsonNode.Parse(await app.Web.GetStringAsync($"/api/v1/imports/{job}"))!;
        Assert.Equal(38, import["accepted"]!.GetValue<long>());
        Assert.Equal(2, import["rejected"]!.GetValue<long>());
        var quarantine = (await app.Web.GetStringAsync($"/api/v1/imports/{job}/quarantine")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, quarantine.Length);
        Assert.Equal(7, JsonNode.Parse(quarantine[0])!["line"]!.GetValue<long>());
        Assert.Contains("messages[0].role", quarantine[0]);
        Assert.Equal(20, JsonNode.Parse(quarantine[1])!["line"]!.GetValue<long>());

        await using var db = app.OpenDatabase();
        var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.JobId == job);
        Assert.Equal(DatasetVersionStatus.Ready, version.Status);
        Assert.Equal(38, version.CountAfter);
        Assert.Equal(38, await db.Examples.CountAsync(e => e.DatasetVersionId == version.Id));
        var file = await app.Web.GetStringAsync($"/api/v1/versions/{version.Id}/files/train");
        Assert.Equal(38, file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.StartsWith("""{"messages":[{"role":"user","content":"question 0"}""", file);
    }

    [Fact]
    public async Task A_reject_all_import_with_one_bad_line_fails_naming_it_and_leaves_no_examples()
    {
        var dataset = await app.CreateDatasetAsync("wf");
        var text = Chat("a", "b", "t") + "\n" + """{"messages":[{"role":"user","content":42}]}""" + "\n";
        var upload = await app.UploadAsync(text, "bad.jsonl");

        var job = await app.StartJobAsync($"/api/v1/datasets/{dataset}/imports", new { uploadId = upload, format = "ChatMessages", errorMode = "RejectImport" });
        var failed = await app.WaitForJobAsync(job, JobStatus.Failed, TimeSpan.FromSeconds(60));

        Assert.Contains("line 2: messages[0].content", failed.Error);
        await using var db = app.OpenDatabase();
        var version = await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.JobId == job);
        Assert.Equal(DatasetVersionStatus.Failed, version.Status);
        Assert.Equal(0, await db.Examples.CountAsync(e => e.DatasetVersionId == version.Id));
    }

    [Fact]
    public async Task An_empty_upload_fails_with_the_specific_reason()
    {
        var dataset = await app.CreateDatasetAsync("wf");
        var upload = await app.UploadAsync("", "empty.jsonl");

        var job = await app.StartJobAsync($"/api/v1/datasets/{dataset}/imports", new { uploadId = upload, format = "ChatMessages", errorMode = "Quarantine" });

        Assert.Contains("the file is empty", (await app.WaitForJobAsync(job, JobStatus.Failed, TimeSpan.FromSeconds(60))).Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Curation_makes_new_immutable_versions_with_lineage_and_the_same_content_gives_the_same_hash()
    {
        var dataset = await app.CreateDatasetAsync("wf");
        var lines = Enumerable.Range(0, 60).Select(i => Chat($"Where is my parcel number {i}? Mail me at user{i}@example.com", $"It ships on day {i}.", i % 3 == 0 ? "billing" : "shipping")).ToList();
        lines.Add(lines[0]);
        var imported = await app.ImportAsync(dataset, lines);

        var dedup = await app.StartJobAsync($"/api/v1/versions/{imported.Id}/curations", new { operation = "exact-dedup", parameters = new { } });
        await app.WaitForJobAsync(dedup, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        var deduped = await app.VersionOfJobAsync(dedup);
        var redact = await app.StartJobAsync($"/api/v1/versions/{deduped.Id}/curations", new { operation = "pii-redaction", parameters = new { } });
        await app.WaitForJobAsync(redact, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        var redacted = await app.VersionOfJobAsync(redact);
        var split = await app.StartJobAsync($"/api/v1/versions/{redacted.Id}/curations", new { operation = "split", parameters = new { ratios = new { train = 0.8, validation = 0.1, test = 0.1 }, seed = 7, stratifyBy = "topic" } });
        await app.WaitForJobAsync(split, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        var splitVersion = await app.VersionOfJobAsync(split);
        var again = await app.StartJobAsync($"/api/v1/versions/{redacted.Id}/curations", new { operation = "split", parameters = new { ratios = new { train = 0.8, validation = 0.1, test = 0.1 }, seed = 7, stratifyBy = "topic" } });
        await app.WaitForJobAsync(again, JobStatus.Succeeded, TimeSpan.FromSeconds(60));

        Assert.Equal((61, 60), (deduped.CountBefore, deduped.CountAfter));
        Assert.Equal(imported.Id, deduped.ParentId);
        Assert.DoesNotContain("@example.com", await app.Web.GetStringAsync($"/api/v1/versions/{redacted.Id}/files/train"));
        Assert.Contains("[EMAIL]", await app.Web.GetStringAsync($"/api/v1/versions/{redacted.Id}/files/train"));
        Assert.Equal(6, (await app.Web.GetStringAsync($"/api/v1/versions/{splitVersion.Id}/files/test")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(splitVersion.ContentHash, (await app.VersionOfJobAsync(again)).ContentHash);
        Assert.NotEqual(redacted.ContentHash, splitVersion.ContentHash);

        var detail = JsonNode.Parse(await app.Web.GetStringAsync($"/api/v1/versions/{splitVersion.Id}"))!;
        Assert.Equal(["split", "pii-redaction", "exact-dedup", "import"], detail["lineage"]!.AsArray().Select(s => s!["operation"]!.GetValue<string>()));
        Assert.Equal(48, detail["statistics"]!["splitSizes"]!["train"]!.GetValue<long>());

        var page = JsonNode.Parse(await app.Web.GetStringAsync($"/api/v1/versions/{splitVersion.Id}/examples?q=parcel%2017&meta=topic:shipping"))!;
        Assert.Equal(1, page["total"]!.GetValue<long>());
    }
}
