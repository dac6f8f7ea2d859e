namespace Distill.Core.Imports;

/// <summary>
/// Names message <c>i</c> of a conversation as the user's file spells it: <c>messages[2]</c>, <c>input[2]</c>, or
/// <c>choices[0].message</c> for a stored completion's reply. The strings are built only when an issue needs them.
/// </summary>
internal readonly record struct MessagePaths(string Prefix, int Count = int.MaxValue, string? Reply = null)
{
    public static MessagePaths Messages { get; } = new("messages");

    public string Of(int index) => index >= Count && Reply is not null ? Reply : $"{Prefix}[{index}]";

    public string Of(int index, string field) => $"{Of(index)}.{field}";
}
