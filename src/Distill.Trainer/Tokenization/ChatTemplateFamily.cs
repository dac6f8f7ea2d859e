namespace Distill.Trainer.Tokenization;

/// <summary>The chat formats Distill renders itself instead of executing the checkpoint's Jinja template.</summary>
public enum ChatTemplateFamily
{
    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (Qwen2, SmolLM).</summary>
    ChatMl,

    /// <summary><c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>.</summary>
    Llama3,

    /// <summary><c>&lt;s&gt;[INST] &lt;&lt;SYS&gt;&gt;…[/INST] answer &lt;/s&gt;</c>.</summary>
    Llama2,

    /// <summary>Mistral v0.2 / Mixtral: <c>&lt;s&gt; [INST] system\n\nuser [/INST] answer&lt;/s&gt;</c>.</summary>
    Mistral,

    /// <summary><c>&lt;|role|&gt;\ncontent&lt;|end|&gt;\n</c>.</summary>
    Phi3,
}
