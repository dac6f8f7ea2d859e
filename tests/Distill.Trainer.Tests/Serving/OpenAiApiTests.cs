using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using Distill.Trainer.Serving;
using Distill.Trainer.Tests.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;
using OpenAI.Models;

namespace Distill.Trainer.Tests.Serving;

/// <summary>The model list, runtime registration and OpenAI-shaped refusals, through the official SDK.</summary>
public sealed class OpenAiApiTests(ServingHost host) : IClassFixture<ServingHost>
{
    private const string Hello = """[{"role":"user","content":"Hello"}]""";

    [Fact]
    public async Task Configured_and_runtime_registered_models_are_listed()
    {
        host.Services.GetRequiredService<ModelRegistry>().Register("tiny-again", host.CheckpointDirectory);

        var client = new OpenAIModelClient(new ApiKeyCredential("any-key"), host.ClientOptions());
        var models = (await client.GetModelsAsync()).Value;
        var one = (await client.GetModelAsync("tiny-again")).Value;
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => client.GetModelAsync("no-such-model"));
        var again = await host.Chat("tiny-again").CompleteChatAsync([new UserChatMessage("Hello")], new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 2 });

        Assert.Equal([ServingHost.ModelName, "tiny-again"], models.Select(m => m.Id));
        Assert.All(models, m => Assert.Equal("distill", m.OwnedBy));
        Assert.All(models, m => Assert.True(m.CreatedAt > DateTimeOffset.UnixEpoch));
        Assert.Equal("tiny-again", one.Id);
        Assert.Equal(404, missing.Status);
        Assert.Equal(2, again.Value.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task An_unknown_model_is_a_404_model_not_found()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat("no-such-model").CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(404, error.Status);
        var body = Error(error);
        Assert.Equal("model_not_found", body.GetProperty("code").GetString());
        Assert.Contains("no-such-model", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task More_than_one_choice_is_a_400_naming_n()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Raw($$"""{"model":"tiny","messages":{{Hello}},"n":2}"""));

        Assert.Equal(400, error.Status);
        var body = Error(error);
        Assert.Equal("invalid_request_error", body.GetProperty("type").GetString());
        Assert.Equal("n", body.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"temperature":3}""", "temperature")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"top_p":"high"}""", "top_p")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"logprobs":true,"top_logprobs":21}""", "top_logprobs")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"top_logprobs":2}""", "top_logprobs")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"max_tokens":0}""", "max_tokens")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData($$$"""{"model":"tiny","messages":{{{Hello}}},"stream_options":{"include_usage":true}}""", "stream_options")]
    [InlineData($$$"""{"model":"tiny","messages":{{{Hello}}},"tools":[{"type":"function","function":{"name":"f"}}]}""", "tools")]
    [InlineData("""{"model":"tiny","messages":[{"role":"tool","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"tiny","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"tiny","messages":[{"role":"assistant","content":"Hi"}]}""", "messages")]
    [InlineData($$"""{"model":"tiny","messages":{{Hello}},"max_completion_tokens":500}""", "messages")]
    [InlineData("""{"model":"tiny","messages":[]}""", "messages")]
    [InlineData($$"""{"messages":{{Hello}}}""", "model")]
    public async Task Bad_input_is_a_400_naming_the_parameter(string request, string param)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Raw(request));

        Assert.Equal(400, error.Status);
        Assert.Equal(param, Error(error).GetProperty("param").GetString());
    }

    [Fact]
    public async Task A_directory_that_is_not_a_checkpoint_fails_with_the_reason()
    {
        using var empty = new TemporaryDirectory();
        host.Services.GetRequiredService<ModelRegistry>().Register("broken", empty.Path);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat("broken").CompleteChatAsync([new UserChatMessage("Hello")]));

        Assert.Equal(500, error.Status);
        var message = Error(error).GetProperty("message").GetString();
        Assert.Contains("'broken'", message);
        Assert.Contains(empty.Path, message);
        Assert.Throws<ArgumentException>(() => host.Services.GetRequiredService<ModelRegistry>().Register("elsewhere", empty.Combine("missing")));
    }

    /// <summary>The SDK's protocol method: the JSON goes out as written, for parameters its typed options do not expose.</summary>
    private Task<ClientResult> Raw(string json) =>
        host.Chat().CompleteChatAsync(BinaryContent.Create(BinaryData.FromString(json)), new RequestOptions());

    private static JsonElement Error(ClientResultException exception)
    {
        using var body = JsonDocument.Parse(exception.GetRawResponse()!.Content);
        return body.RootElement.GetProperty("error").Clone();
    }
}
