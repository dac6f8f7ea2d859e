namespace Distill.Core.Teachers;

public enum TeacherKind
{
    /// <summary>An Azure OpenAI deployment: endpoint, deployment name, API version.</summary>
    AzureOpenAI,

    /// <summary>Any server speaking OpenAI's chat completions API: OpenAI, vLLM, Ollama, llama.cpp.</summary>
    OpenAICompatible,

    /// <summary>A checkpoint served by our own Trainer's /v1 endpoint.</summary>
    Local,
}

public enum TeacherAuth
{
    ApiKey,

    /// <summary>Microsoft Entra ID through DefaultAzureCredential (Azure only): no secret is stored.</summary>
    EntraId,

    None,
}
