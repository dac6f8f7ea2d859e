namespace Distill.Trainer.Serving.Wire;

/// <summary>OpenAI's error body: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record ErrorResponse(ErrorDetail Error)
{
    public static ErrorResponse From(OpenAiException error) => new(new ErrorDetail(error.Message, error.Type, error.Param, error.Code));
}

public sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
