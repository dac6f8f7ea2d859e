namespace Distill.Core.Imports;

/// <summary>
/// One thing wrong with one record. <see cref="Field"/> is a JSON path (<c>messages[2].role</c>) or a CSV column
/// name, empty when the whole line is at fault; <see cref="Line"/> is 1-based, 0 for a problem of the whole file.
/// </summary>
public sealed record ImportIssue(long Line, string Field, string Reason)
{
    /// <summary>
    /// The sentence a user reads. A whole-line reason that starts with "is" continues the line number as one sentence
    /// ("line 3 is longer than the 8 MiB limit").
    /// </summary>
    public string Message =>
        Line == 0 ? Reason
        : Field.Length > 0 ? $"line {Line}: {Field}: {Reason}"
        : Reason.StartsWith("is ", StringComparison.Ordinal) ? $"line {Line} {Reason}"
        : $"line {Line}: {Reason}";

    public override string ToString() => Message;
}
