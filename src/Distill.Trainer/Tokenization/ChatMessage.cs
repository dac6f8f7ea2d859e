namespace Distill.Trainer.Tokenization;

public enum ChatRole
{
    System,
    User,
    Assistant,
}

/// <summary>One turn of a conversation; a system message may only come first.</summary>
public sealed record ChatMessage(ChatRole Role, string Content)
{
    public static ChatMessage System(string content) => new(ChatRole.System, content);

    public static ChatMessage User(string content) => new(ChatRole.User, content);

    public static ChatMessage Assistant(string content) => new(ChatRole.Assistant, content);
}
