using Distill.ServiceDefaults.Configuration;
using Distill.Trainer.Serving;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Distill.Trainer.Extensions;

public static class ModelServingExtensions
{
    /// <summary>
    /// The model registry and chat completion runner. A model in <c>Serving:Models</c> whose directory is missing stops
    /// the Trainer with the reason; its checkpoint itself is read on first use.
    /// </summary>
    public static IHostApplicationBuilder AddModelServing(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(ServingOptions.Section);
        builder.Services.Configure<ServingOptions>(section);
        foreach (var (name, directory) in section.GetSection(nameof(ServingOptions.Models)).GetChildren().Select(c => (c.Key, c.Value)))
        {
            if (string.IsNullOrWhiteSpace(directory) || (!directory.StartsWith(CheckpointSource.BlobScheme, StringComparison.Ordinal) && !Directory.Exists(directory)))
            {
                ConfigurationProblems.Of(builder).Add(
                    $"{ServingOptions.Section}:Models:{name} is '{directory}', which is not a directory: point it at a Hugging Face checkpoint directory " +
                    $"(config.json, *.safetensors, tokenizer and chat template), e.g. {ServingOptions.Section}__Models__{name}=/path/to/checkpoint, " +
                    $"or at blob storage, e.g. {ServingOptions.Section}__Models__{name}=blob:models/{name}/1.");
            }
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        // Blob storage is optional: the registry's constructor takes the client when the process has one.
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<ChatCompletionRunner>();
        builder.Services.AddSingleton<ChatCompletionsEndpoint>();
        return builder;
    }

    /// <summary>The OpenAI-compatible API under /v1: chat completions (streaming too) and the model list.</summary>
    public static IEndpointRouteBuilder MapOpenAiEndpoints(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/models", ModelsEndpoint.List);
        v1.MapGet("/models/{model}", ModelsEndpoint.Get);
        v1.MapPost("/chat/completions", (HttpContext context, ChatCompletionsEndpoint endpoint) => endpoint.HandleAsync(context));
        v1.MapFallback(OpenAiErrors.UnknownUrl);
        return app;
    }
}
