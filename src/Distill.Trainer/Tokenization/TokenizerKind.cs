namespace Distill.Trainer.Tokenization;

public enum TokenizerKind
{
    /// <summary>GPT-2 style byte-level BPE from <c>tokenizer.json</c> (Llama 3, Qwen2, SmolLM).</summary>
    ByteLevelBpe,

    /// <summary>SentencePiece BPE from <c>tokenizer.model</c> (Llama 2, Mistral, Phi-3).</summary>
    SentencePiece,
}
