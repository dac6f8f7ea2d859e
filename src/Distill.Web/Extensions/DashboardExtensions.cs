using Distill.Web.Components;
using Distill.Web.Jobs;
using Distill.Web.SystemHealth;
using MudBlazor.Services;

namespace Distill.Web.Extensions;

public static class DashboardExtensions
{
    /// <summary>The Blazor Server dashboard with MudBlazor, and what its pages read.</summary>
    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddSingleton<JobEventStream>();
        builder.Services.AddSystemHealth();
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
