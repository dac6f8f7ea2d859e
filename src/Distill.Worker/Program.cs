using Distill.Core.Jobs;
using Distill.ServiceDefaults.Configuration;
using Distill.Worker.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDistillDatabase();
builder.AddDistillBlobs();
builder.AddDistillDataProtection();
builder.AddDistillMessaging(bus => bus.AddJobRunner(builder.Configuration, JobKinds.WorkerService));
builder.AddWorkerJobs();

var app = builder.Build();

app.MapDefaultEndpoints();

return await app.RunServiceAsync();
