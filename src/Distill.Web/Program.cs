using Distill.ServiceDefaults.Configuration;
using Distill.Web.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDistillDatabase();
builder.AddDistillBlobs();
builder.AddDistillDataProtection();
builder.AddDistillMessaging(bus => bus.AddJobEventRelay());
builder.AddDashboard();
builder.AddDistillApi();

var app = builder.Build();

app.UseDashboard();
app.MapDistillApi();
app.MapDefaultEndpoints();

return await app.RunServiceAsync();
