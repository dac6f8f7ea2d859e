using Distill.ServiceDefaults.Configuration;
using Distill.Web.Api;
using Distill.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDistillDatabase();
builder.AddDistillBlobs();
builder.AddDistillMessaging(bus => bus.AddJobEventRelay());
builder.AddDashboard();
builder.Services.AddOpenApi();

var app = builder.Build();

app.UseDashboard();
app.MapOpenApi("/api/v1/openapi.json");
app.MapJobsApi();
app.MapSystemApi();
app.MapDefaultEndpoints();

return await app.RunServiceAsync();
