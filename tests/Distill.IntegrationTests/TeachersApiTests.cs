using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;

namespace Distill.IntegrationTests;

/// <summary>Teacher keys are write-only: encrypted at rest with a key ring in blob storage, never returned.</summary>
[Collection(DistillCollection.Name)]
public sealed class TeachersApiTests(DistillAppFixture app)
{
    private const string Secret = "sk-integration-SECRET-4242";

    [Fact]
    public async Task A_teacher_key_is_encrypted_at_rest_never_returned_and_kept_when_an_edit_leaves_it_empty()
    {
        var name = "azure-" + Guid.NewGuid().ToString("N")[..6];
        var created = await app.Web.PostAsJsonAsync("/api/v1/teachers", Teacher(name, apiKey: Secret));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, body);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
        Assert.True(JsonNode.Parse(body)!["hasApiKey"]!.GetValue<bool>());

        await using (var db = app.OpenDatabase())
        {
            var stored = await db.Teachers.AsNoTracking().SingleAsync(t => t.Id == id);
            Assert.NotNull(stored.ProtectedApiKey);
            Assert.DoesNotContain(Secret, stored.ProtectedApiKey);
        }

        Assert.True(await app.Blobs.GetBlobContainerClient("dataprotection").GetBlobClient("keys.xml").ExistsAsync());

        var updated = await app.Web.PutAsJsonAsync($"/api/v1/teachers/{id}", Teacher(name, apiKey: null) with { OutputPricePerMillion = 12m });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var listed = await app.Web.GetStringAsync("/api/v1/teachers");
        Assert.DoesNotContain(Secret, listed);
        var teacher = JsonNode.Parse(listed)!.AsArray().Single(t => t!["id"]!.GetValue<Guid>() == id)!;
        Assert.True(teacher["hasApiKey"]!.GetValue<bool>());
        Assert.Equal(12m, teacher["outputPricePerMillion"]!.GetValue<decimal>());
        Assert.DoesNotContain(Secret, DistillAppFixture.ReadLog());
    }

    [Fact]
    public async Task Invalid_teachers_are_refused_field_by_field()
    {
        var response = await app.Web.PostAsJsonAsync("/api/v1/teachers", Teacher("bad", apiKey: null) with { Endpoint = "not a url", ApiVersion = null, MaxConcurrency = 0 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal(["apiKey", "apiVersion", "endpoint", "maxConcurrency"], errors.Select(e => e.Key).Order());
        Assert.Contains("absolute http(s) URL", errors["endpoint"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_teachers_cannot_share_a_name()
    {
        var name = "dup-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await app.Web.PostAsJsonAsync("/api/v1/teachers", Teacher(name, Secret))).StatusCode);

        var second = await app.Web.PostAsJsonAsync("/api/v1/teachers", Teacher(name, Secret));

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Contains("already exists", await second.Content.ReadAsStringAsync());
    }

    private static TeacherBody Teacher(string name, string? apiKey) => new(
        name, "AzureOpenAI", "https://contoso.openai.azure.com/", "gpt-4o", "2024-10-21", "ApiKey", apiKey, 2.5m, 10m, 600, 100_000, 8);

    private sealed record TeacherBody(
        string Name, string Kind, string Endpoint, string Model, string? ApiVersion, string Auth, string? ApiKey,
        decimal InputPricePerMillion, decimal OutputPricePerMillion, int? RequestsPerMinute, int? TokensPerMinute, int MaxConcurrency);
}
