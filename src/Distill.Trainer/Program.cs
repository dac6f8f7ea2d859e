using Distill.Core.Jobs;
using Distill.ServiceDefaults.Configuration;
using Distill.Trainer.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDistillDatabase();
builder.AddDistillBlobs();
builder.AddDistillMessaging(bus => bus.AddJobRunner(builder.Configuration, JobKinds.TrainerService));
builder.AddTrainerEngine();

var app = builder.Build();

app.MapDefaultEndpoints();

return await app.RunServiceAsync();
