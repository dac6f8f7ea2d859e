using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Distill.IntegrationTests;

/// <summary>The dashboard in real headless Chromium (Debian's), driven by Playwright.</summary>
[Collection(DistillCollection.Name)]
public sealed class DashboardBrowserTests(DistillAppFixture app) : IAsyncLifetime
{
    private static readonly string[] Components = ["postgres", "messaging", "blobs", "web", "worker", "trainer"];
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "distill-chromium-" + Guid.NewGuid().ToString("N")[..8]);
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        // The machine's network is closed: without these flags Chromium floods it with refused connections.
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            BaseURL = app.App.GetEndpoint("web").ToString(),
        });
        _browser.SetDefaultTimeout(30_000);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        Directory.Delete(_profile, recursive: true);
    }

    [Fact]
    public async Task The_system_page_shows_every_component_healthy_with_versions()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync("/system");

        foreach (var component in Components)
        {
            await Expect(page.GetByTestId($"status-{component}")).ToHaveAttributeAsync("data-healthy", "true");
        }

        await Expect(page.GetByTestId("component-postgres")).ToContainTextAsync("PostgreSQL 15");
        await Expect(page.GetByTestId("component-worker")).ToContainTextAsync("version");
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "system-page.png"), FullPage = true });
    }

    [Fact]
    public async Task A_stopped_trainer_turns_red_on_the_system_page_and_green_again_when_it_is_back()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync("/system");
        await Expect(page.GetByTestId("status-trainer")).ToHaveAttributeAsync("data-healthy", "true");

        await app.App.StopResourceAsync("trainer");
        try
        {
            await Expect(page.GetByTestId("status-trainer")).ToHaveAttributeAsync("data-healthy", "false");
            await Expect(page.GetByTestId("status-worker")).ToHaveAttributeAsync("data-healthy", "true");
        }
        finally
        {
            await app.App.StartResourceAsync("trainer");
        }

        await Expect(page.GetByTestId("status-trainer")).ToHaveAttributeAsync("data-healthy", "true");
    }

    [Fact]
    public async Task The_diagnostic_button_runs_a_job_whose_status_updates_live_to_succeeded()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync("/jobs");
        await Expect(page.GetByTestId("jobs-table")).ToBeVisibleAsync();

        await page.GetByTestId("run-diagnostic").ClickAsync();
        var jobId = await page.GetByTestId("last-queued").InnerTextAsync();

        // The page never reloads: the status changes because events reach it through RabbitMQ and the circuit.
        await Expect(page.Locator($"[data-job-status='{jobId}']")).ToHaveTextAsync("succeeded");
        Assert.Equal(Core.Jobs.JobStatus.Succeeded, (await app.ReadJobAsync(Guid.Parse(jobId))).Status);
        await page.ScreenshotAsync(new() { Path = Path.Combine(DistillAppFixture.Artifacts, "jobs-page.png"), FullPage = true });
    }

    [Fact]
    public async Task The_theme_switches_between_light_and_dark()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync("/");
        var background = () => page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        await Expect(page.GetByTestId("theme-toggle")).ToBeVisibleAsync();
        var light = await background();

        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.Locator("body")).Not.ToHaveCSSAsync("background-color", light);
        var dark = await background();

        await page.GetByTestId("theme-toggle").ClickAsync();
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", light);
        Assert.NotEqual(light, dark);
    }
}
