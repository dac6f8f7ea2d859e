using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Distill.Core.Datasets;
using Distill.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Distill.IntegrationTests;

/// <summary>What the dataset tests do through <c>/api/v1</c> the way a script would: create, upload, start jobs.</summary>
internal static class DistillApi
{
    public static async Task<Guid> CreateDatasetAsync(this DistillAppFixture app, string prefix)
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/datasets", new { name = prefix + "-" + Guid.NewGuid().ToString("N")[..8] });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
    }

    public static async Task<Guid> UploadAsync(this DistillAppFixture app, string text, string fileName)
    {
        var response = await app.Web.PostAsync($"/api/v1/uploads?fileName={fileName}", new ByteArrayContent(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();
    }

    /// <summary>Posts a job request and returns the queued job's id; anything but 202 fails the test with the response.</summary>
    public static async Task<Guid> StartJobAsync(this DistillAppFixture app, string path, object body)
    {
        var response = await app.Web.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
    }

    /// <summary>Creates an Azure OpenAI teacher through the API; returns its id.</summary>
    public static async Task<Guid> CreateAzureTeacherAsync(this DistillAppFixture app, string name, Uri endpoint, string? apiKey, int maxConcurrency, bool storeCompletions = false)
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/teachers", new
        {
            name, kind = "AzureOpenAI", endpoint = endpoint.ToString(), model = "gpt-4o-distill", apiVersion = "2024-10-21", auth = "ApiKey", apiKey,
            inputPricePerMillion = 2.5m, outputPricePerMillion = 10m, maxConcurrency, storeCompletions, supportsLogprobs = true,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        return JsonNode.Parse(text)!["id"]!.GetValue<Guid>();
    }

    public static async Task<DatasetVersion> VersionOfJobAsync(this DistillAppFixture app, Guid job)
    {
        await using var db = app.OpenDatabase();
        return await db.DatasetVersions.AsNoTracking().SingleAsync(v => v.JobId == job);
    }

    /// <summary>A ready version, imported from JSONL lines through the API the way a user would.</summary>
    public static async Task<DatasetVersion> ImportAsync(this DistillAppFixture app, Guid dataset, IEnumerable<string> lines, string format = "ChatMessages", bool requireAssistantReply = true)
    {
        var upload = await app.UploadAsync(string.Join("\n", lines) + "\n", "import.jsonl");
        var job = await app.StartJobAsync($"/api/v1/datasets/{dataset}/imports", new { uploadId = upload, format, errorMode = "RejectImport", requireAssistantReply });
        await app.WaitForJobAsync(job, JobStatus.Succeeded, TimeSpan.FromSeconds(60));
        return await app.VersionOfJobAsync(job);
    }
}
