using System.ClientModel;
using System.ClientModel.Primitives;
using Distill.Trainer.Extensions;
using Distill.Trainer.Models;
using Distill.Trainer.Tests.Checkpoints;
using Distill.Trainer.Tests.Tokenization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace Distill.Trainer.Tests.Serving;

/// <summary>
/// The Trainer's OpenAI endpoints on Kestrel at 127.0.0.1 (port chosen by the OS), serving <see cref="ModelName"/>:
/// a tiny Qwen2-shaped checkpoint with a byte-level BPE tokenizer and a ChatML template.
/// </summary>
public sealed class ServingHost : IAsyncLifetime
{
    public const string ModelName = "tiny";

    private TempCheckpoint? _checkpoint;
    private WebApplication? _app;

    internal TinyByteLevelBpe Bpe { get; } = new();

    public string CheckpointDirectory => _checkpoint!.Directory;

    public Uri Endpoint { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>The ids the server ends a reply at: the config's EOS, the tokenizer's EOS and ChatML's end of turn.</summary>
    public int[] EndTokenIds => [Bpe.SpecialId("<|im_end|>"), Bpe.SpecialId("<|eot_id|>")];

    public async Task InitializeAsync()
    {
        _checkpoint = Bpe.WriteCheckpoint(ChatTemplates.Qwen2);
        var config = TinyCheckpoint.Config(ModelFamily.Qwen2) with
        {
            VocabSize = Bpe.Vocab.Count + TinyByteLevelBpe.Specials.Length,
            EosTokenIds = [Bpe.SpecialId("<|im_end|>")],
            BosTokenId = null,
            MaxPositionEmbeddings = 96,
        };
        // A wide spread makes greedy choices decisive, so both sides of a comparison pick the same tokens.
        TinyCheckpoint.Write(_checkpoint.Directory, config, spread: 0.5f);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Serving:Models:" + ModelName] = _checkpoint.Directory;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddModelServing();
        _app = builder.Build();
        _app.MapOpenAiEndpoints();
        await _app.StartAsync();

        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Endpoint = new Uri($"{address}/v1");
    }

    /// <summary>An unchanged OpenAI SDK client; it never retries, so a refusal surfaces at once.</summary>
    public ChatClient Chat(string model = ModelName) => new(model, new ApiKeyCredential("any-key"), ClientOptions());

    public OpenAIClientOptions ClientOptions() => new() { Endpoint = Endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries: 0) };

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _checkpoint?.Dispose();
    }
}
