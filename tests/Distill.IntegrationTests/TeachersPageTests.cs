using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Distill.IntegrationTests;

/// <summary>The teachers page in real Chromium: the dialog, its field errors, and a key that never comes back.</summary>
[Collection(DistillCollection.Name)]
public sealed class TeachersPageTests(DistillAppFixture app) : IAsyncLifetime
{
    private const string Secret = "sk-test-SECRET-123";
    private HeadlessChromium _chromium = null!;

    public async Task InitializeAsync() => _chromium = await HeadlessChromium.StartAsync(app.App.GetEndpoint("web"));

    public async Task DisposeAsync() => await _chromium.DisposeAsync();

    [Fact]
    public async Task A_teacher_is_created_and_edited_through_the_dialog_and_its_key_is_never_shown()
    {
        var name = "teacher-" + Guid.NewGuid().ToString("N")[..8];
        var page = await _chromium.Context.NewPageAsync();
        await page.GotoAsync("/teachers");
        await Expect(page.GetByTestId("teachers-table")).ToBeVisibleAsync();

        await page.GetByTestId("new-teacher").ClickAsync();
        await Expect(page.GetByTestId("teacher-api-version")).ToBeVisibleAsync();
        // API version belongs to Azure only: another kind hides it, and Azure brings it back.
        await page.ChooseAsync("teacher-kind", "OpenAI-compatible");
        await Expect(page.GetByTestId("teacher-api-version")).ToHaveCountAsync(0);
        await page.ChooseAsync("teacher-kind", "Azure OpenAI");

        await page.FillFieldAsync("teacher-name", name);
        await page.FillFieldAsync("teacher-endpoint", "https://my-resource.openai.azure.com/");
        await page.FillFieldAsync("teacher-model", "gpt-4o");
        await page.FillFieldAsync("teacher-api-key", Secret);
        await page.FillFieldAsync("teacher-input-price", "2.5");
        await page.FillFieldAsync("teacher-output-price", "10");
        await page.GetByTestId("teacher-save").ClickAsync();

        // The catalog's reason appears on the field it is about, and the dialog stays open.
        await Expect(page.Field("teacher-api-version")).ToContainTextAsync("need an API version");
        await page.FillFieldAsync("teacher-api-version", "2024-10-21");
        await page.GetByTestId("teacher-save").ClickAsync();

        await Expect(page.GetByTestId($"key-{name}")).ToContainTextAsync("key stored");
        Assert.DoesNotContain(Secret, await page.ContentAsync());
        Assert.DoesNotContain(Secret, await app.Web.GetStringAsync("/api/v1/teachers"));

        // Editing without typing a key keeps the stored one; the field starts empty and says so.
        await page.GetByTestId($"edit-{name}").ClickAsync();
        await Expect(page.Field("teacher-api-key")).ToContainTextAsync("stored; leave empty to keep it");
        await Expect(page.Input("teacher-api-key")).ToHaveValueAsync("");
        Assert.DoesNotContain(Secret, await page.ContentAsync());
        await page.FillFieldAsync("teacher-model", "gpt-4o-mini");
        await page.FillFieldAsync("teacher-concurrency", "4");
        await page.GetByTestId("teacher-save").ClickAsync();
        await Expect(page.GetByTestId("teachers-table")).ToContainTextAsync("gpt-4o-mini");

        var teacher = (await app.Web.GetFromJsonAsync<JsonElement[]>("/api/v1/teachers"))!.Single(t => t.GetProperty("name").GetString() == name);
        Assert.True(teacher.GetProperty("hasApiKey").GetBoolean());
        Assert.Equal("gpt-4o-mini", teacher.GetProperty("model").GetString());
        Assert.Equal(4, teacher.GetProperty("maxConcurrency").GetInt32());
        Assert.DoesNotContain(Secret, await page.ContentAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "teachers-page.png"), FullPage = true });

        await page.GetByTestId($"delete-{name}").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId($"key-{name}")).ToHaveCountAsync(0);
    }
}
