namespace Distill.Core;

public static class ArgumentExceptions
{
    /// <summary>The message as a sentence for a person, without the " (Parameter 'x')" .NET appends for programmers.</summary>
    public static string Reason(this ArgumentException exception) =>
        exception.ParamName is { } name ? exception.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : exception.Message;
}
