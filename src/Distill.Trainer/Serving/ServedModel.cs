using Distill.Trainer.Checkpoints;
using Distill.Trainer.Inference;
using Distill.Trainer.Models;
using Distill.Trainer.Runtime;
using Distill.Trainer.Tokenization;
using TorchSharp;

namespace Distill.Trainer.Serving;

/// <summary>A checkpoint loaded for serving: weights, tokenizer and chat format, used by one generation at a time.</summary>
public sealed class ServedModel : IDisposable
{
    private ServedModel(string name, LlamaForCausalLM model, CheckpointTokenizer tokenizer, ChatTemplate template, IReadOnlyList<int> endTokenIds)
    {
        Name = name;
        Model = model;
        Tokenizer = tokenizer;
        Template = template;
        EndTokenIds = endTokenIds;
        Generator = new TokenGenerator(model);
    }

    public string Name { get; }

    public LlamaForCausalLM Model { get; }

    public CheckpointTokenizer Tokenizer { get; }

    public ChatTemplate Template { get; }

    public TokenGenerator Generator { get; }

    /// <summary>Tokens that end a reply: the config's and tokenizer's end-of-sequence ids and the chat format's end of turn.</summary>
    public IReadOnlyList<int> EndTokenIds { get; }

    /// <summary>The context window: prompt and completion together.</summary>
    public int ContextLength => Model.Config.MaxPositionEmbeddings;

    /// <summary>Held for the whole of a generation: the model's KV cache and libtorch's threads serve one at a time.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Loads a Hugging Face checkpoint directory; any reason it cannot be served becomes one <see cref="ModelLoadException"/>.</summary>
    public static ServedModel Load(string name, string directory)
    {
        try
        {
            TorchRuntime.EnsureLoaded();
            var tokenizer = CheckpointTokenizer.Load(directory);
            var template = ChatTemplate.Load(directory);
            // A template whose markers the tokenizer lacks would otherwise fail on every request instead of here.
            template.Encode(tokenizer, [ChatMessage.User("Hello")], addGenerationPrompt: true);
            using var checkpoint = HuggingFaceCheckpoint.Load(directory);
            if (tokenizer.VocabSize > checkpoint.Config.VocabSize)
            {
                throw new InvalidDataException($"its tokenizer has {tokenizer.VocabSize} tokens but the model only {checkpoint.Config.VocabSize}");
            }

            var model = new LlamaForCausalLM(checkpoint.Config);
            try
            {
                model.LoadWeights(checkpoint.Tensors);
                model.to(TorchRuntime.Device);
                model.eval();
                return new ServedModel(name, model, tokenizer, template, EndTokens(checkpoint.Config, tokenizer, template));
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever part of the directory is wrong, the caller needs the one sentence that names it.
            throw new ModelLoadException($"Model '{name}' cannot be served from {directory}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        Model.Dispose();
        Gate.Dispose();
    }

    private static int[] EndTokens(ModelConfig config, CheckpointTokenizer tokenizer, ChatTemplate template)
    {
        var ends = new List<int>(config.EosTokenIds);
        if (tokenizer.EosId is { } eos)
        {
            ends.Add(eos);
        }

        // Instruct checkpoints often name the base model's EOS in config.json, yet their replies end at the turn marker.
        var endOfTurn = template.Family switch
        {
            ChatTemplateFamily.ChatMl => "<|im_end|>",
            ChatTemplateFamily.Llama3 => "<|eot_id|>",
            ChatTemplateFamily.Phi3 => "<|end|>",
            _ => null,
        };
        if (endOfTurn is not null && tokenizer.TryTokenToId(endOfTurn, out var id))
        {
            ends.Add(id);
        }

        return [.. ends.Distinct()];
    }
}
