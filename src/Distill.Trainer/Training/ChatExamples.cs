using Distill.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Distill.Trainer.Training;

/// <summary>
/// Conversations as training data: each is rendered with the model's chat template and tokenized once; the loss
/// counts the tokens of assistant replies (and the end-of-turn token after each), never the prompt, the system
/// message or padding. Batches are right-padded, which causal attention never looks ahead to.
/// </summary>
public sealed class ChatExamples : ITrainingData
{
    private readonly List<ChatEncoding> _encoded;
    private readonly int _padId;

    public ChatExamples(IEnumerable<IReadOnlyList<ChatMessage>> conversations, CheckpointTokenizer tokenizer, ChatTemplate template, int maxTokens)
    {
        _padId = tokenizer.EosId ?? 0;
        _encoded = [];
        foreach (var conversation in conversations)
        {
            var encoding = template.Encode(tokenizer, conversation);
            if (encoding.InputIds.Length > maxTokens)
            {
                encoding = encoding with { InputIds = encoding.InputIds[..maxTokens], AssistantMask = encoding.AssistantMask[..maxTokens] };
                Truncated++;
            }

            // A conversation whose replies were all cut off teaches nothing: it is counted, not trained on.
            if (encoding.AssistantMask.Skip(1).Any(m => m == 1))
            {
                _encoded.Add(encoding);
            }
            else
            {
                WithoutReply++;
            }
        }
    }

    public int Count => _encoded.Count;

    /// <summary>Conversations longer than the limit, cut at it.</summary>
    public int Truncated { get; }

    /// <summary>Conversations left out because no assistant token survived truncation.</summary>
    public int WithoutReply { get; }

    public TrainingBatch Load(IReadOnlyList<int> examples)
    {
        // Position t reads token t and predicts token t + 1, which counts when token t + 1 is the assistant's.
        var length = examples.Max(e => _encoded[e].InputIds.Length) - 1;
        var inputs = new long[examples.Count * length];
        var targets = new long[examples.Count * length];
        var mask = new float[examples.Count * length];
        Array.Fill(inputs, _padId);
        Array.Fill(targets, _padId);
        for (var row = 0; row < examples.Count; row++)
        {
            var encoding = _encoded[examples[row]];
            for (var t = 0; t < encoding.InputIds.Length - 1; t++)
            {
                inputs[row * length + t] = encoding.InputIds[t];
                targets[row * length + t] = encoding.InputIds[t + 1];
                mask[row * length + t] = encoding.AssistantMask[t + 1];
            }
        }

        return new TrainingBatch(tensor(inputs, [examples.Count, length]), tensor(targets, [examples.Count, length]), tensor(mask, [examples.Count, length]));
    }
}
