using Distill.Trainer.Serving.Wire;

namespace Distill.Trainer.Serving;

/// <summary>Errors in OpenAI's shape, so SDKs raise them with the status, message and parameter intact.</summary>
public static class OpenAiErrors
{
    public static IResult Result(OpenAiException error) => Results.Json(ErrorResponse.From(error), OpenAiJson.Options, statusCode: error.Status);

    /// <summary>Any path under /v1 that is not an endpoint, as OpenAI answers one.</summary>
    public static IResult UnknownUrl(HttpRequest request) =>
        Result(OpenAiException.NotFound($"Invalid URL ({request.Method} {request.Path})"));
}
