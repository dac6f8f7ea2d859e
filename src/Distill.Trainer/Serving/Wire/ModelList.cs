using System.Text.Json.Serialization;

namespace Distill.Trainer.Serving.Wire;

/// <summary>The body of <c>GET /v1/models</c>.</summary>
public sealed record ModelList(IReadOnlyList<ModelCard> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}

public sealed record ModelCard([property: JsonPropertyOrder(-2)] string Id, long Created)
{
    [JsonPropertyOrder(-1)]
    public string Object => "model";

    public string OwnedBy => "distill";
}
