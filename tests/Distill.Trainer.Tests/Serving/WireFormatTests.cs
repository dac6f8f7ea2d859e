using System.Net.Http.Json;
using System.Text.Json;

namespace Distill.Trainer.Tests.Serving;

/// <summary>The bytes on the wire, which SDKs read more leniently than OpenAI writes them.</summary>
public sealed class WireFormatTests(ServingHost host) : IClassFixture<ServingHost>
{
    private static readonly object Request = new
    {
        model = ServingHost.ModelName,
        messages = new[] { new { role = "user", content = "Hello" } },
        max_tokens = 3,
        temperature = 0,
        logprobs = true,
        top_logprobs = 2,
    };

    [Fact]
    public async Task A_whole_reply_has_openai_fields_in_snake_case()
    {
        using var http = new HttpClient();

        using var response = await http.PostAsJsonAsync(new Uri(host.Endpoint, "v1/chat/completions"), Request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.True(root.GetProperty("created").GetInt64() > 0);
        var choice = root.GetProperty("choices")[0];
        Assert.Equal(0, choice.GetProperty("index").GetInt32());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var token = choice.GetProperty("logprobs").GetProperty("content")[0];
        Assert.Equal(JsonValueKind.Array, token.GetProperty("bytes").ValueKind);
        Assert.Equal(2, token.GetProperty("top_logprobs").GetArrayLength());
        var usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 3, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task A_stream_is_data_events_ending_in_done()
    {
        using var http = new HttpClient();
        var streaming = JsonSerializer.SerializeToNode(Request)!.AsObject();
        streaming["stream"] = true;
        streaming["stream_options"] = new System.Text.Json.Nodes.JsonObject { ["include_usage"] = true };

        using var response = await http.PostAsJsonAsync(new Uri(host.Endpoint, "v1/chat/completions"), streaming);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(3, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Unknown_paths_and_bad_json_answer_with_openai_errors()
    {
        using var http = new HttpClient();

        using var unknown = await http.GetAsync(new Uri(host.Endpoint, "v1/nothing-here"));
        using var badJson = await http.PostAsync(new Uri(host.Endpoint, "v1/chat/completions"), new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(404, (int)unknown.StatusCode);
        Assert.Equal("invalid_request_error", JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(400, (int)badJson.StatusCode);
        Assert.True(JsonDocument.Parse(await badJson.Content.ReadAsStringAsync()).RootElement.GetProperty("error").TryGetProperty("message", out _));
    }
}
