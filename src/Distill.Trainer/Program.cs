using Distill.Core.Jobs;
using Distill.ServiceDefaults.Configuration;
using Distill.Trainer.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddDistillDatabase();
builder.AddDistillBlobs();
builder.AddDistillMessaging(bus => bus.AddJobRunner(builder.Configuration, JobKinds.TrainerService));
builder.AddTrainerEngine();
builder.AddModelServing();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapOpenAiEndpoints();

return await app.RunServiceAsync();
