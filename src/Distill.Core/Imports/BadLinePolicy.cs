namespace Distill.Core.Imports;

/// <summary>What the user chose, before uploading, to happen to an import that has bad lines.</summary>
public enum BadLinePolicy
{
    /// <summary>One bad line fails the whole import; nothing is kept.</summary>
    RejectImport,

    /// <summary>Good lines are imported; bad ones go to a downloadable quarantine file.</summary>
    Quarantine,
}
