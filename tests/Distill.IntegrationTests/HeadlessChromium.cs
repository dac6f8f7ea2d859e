using Microsoft.Playwright;

namespace Distill.IntegrationTests;

/// <summary>Debian's Chromium, headless, in a throwaway profile, pointed at the topology's Web.</summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private HeadlessChromium(IPlaywright playwright, IBrowserContext context, string profile) =>
        (_playwright, Context, _profile) = (playwright, context, profile);

    public IBrowserContext Context { get; }

    public static async Task<HeadlessChromium> StartAsync(Uri web)
    {
        var profile = Path.Combine(Path.GetTempPath(), "distill-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        var playwright = await Playwright.CreateAsync();
        // The machine's network is closed: without these flags Chromium floods it with refused connections.
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            BaseURL = web.ToString(),
            ViewportSize = new() { Width = 1400, Height = 1000 },
        });
        // The first page of a cold Web builds its EF model and circuit: more than the 5 s an expectation waits by default.
        context.SetDefaultTimeout(15_000);
        Assertions.SetDefaultExpectTimeout(15_000);
        return new HeadlessChromium(playwright, context, profile);
    }

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        Directory.Delete(_profile, recursive: true);
    }
}

/// <summary>
/// MudBlazor's inputs as a person uses them: a field's test id lands on its &lt;input&gt;, while its label, helper and
/// error text sit in the surrounding input control.
/// </summary>
internal static class MudInputs
{
    public static ILocator Input(this IPage page, string testId) => page.GetByTestId(testId);

    /// <summary>The whole field: where its helper text and error appear.</summary>
    public static ILocator Field(this IPage page, string testId) => page.Locator($".mud-input-control:has([data-testid='{testId}'])").Last;

    public static Task FillFieldAsync(this IPage page, string testId, string value) => page.Input(testId).FillAsync(value);

    /// <summary>Opens a MudSelect (its input is hidden) and picks the option with exactly this text from the popover.</summary>
    public static async Task ChooseAsync(this IPage page, string testId, string option)
    {
        await page.Locator($".mud-select:has([data-testid='{testId}'])").Last.ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await options.Filter(new() { HasTextRegex = new($"^\\s*{System.Text.RegularExpressions.Regex.Escape(option)}\\s*$") }).First.ClickAsync();
        await options.First.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }
}
