namespace Distill.Trainer.Serving;

/// <summary>A request the API answers with an OpenAI error object instead of a completion.</summary>
public sealed class OpenAiException(int status, string message, string type, string? param = null, string? code = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public static OpenAiException InvalidRequest(string? param, string message, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code);

    public static OpenAiException ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"The model `{model}` does not exist or you do not have access to it.", "invalid_request_error", code: "model_not_found");

    public static OpenAiException NotFound(string message) =>
        new(StatusCodes.Status404NotFound, message, "invalid_request_error");

    public static OpenAiException Server(string message, string? code = null) =>
        new(StatusCodes.Status500InternalServerError, message, "server_error", code: code);
}
