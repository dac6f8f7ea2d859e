using Distill.Trainer.Serving.Wire;

namespace Distill.Trainer.Serving;

/// <summary><c>GET /v1/models</c>: every registered model, loaded or not.</summary>
public static class ModelsEndpoint
{
    public static IResult List(ModelRegistry registry) =>
        Results.Json(new ModelList([.. registry.Models.Select(m => new ModelCard(m.Name, m.RegisteredAt.ToUnixTimeSeconds()))]), OpenAiJson.Options);

    /// <summary><c>GET /v1/models/{model}</c>.</summary>
    public static IResult Get(string model, ModelRegistry registry) =>
        registry.TryGet(model, out var found)
            ? Results.Json(new ModelCard(found.Name, found.RegisteredAt.ToUnixTimeSeconds()), OpenAiJson.Options)
            : OpenAiErrors.Result(OpenAiException.ModelNotFound(model));
}
