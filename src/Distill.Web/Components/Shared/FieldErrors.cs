namespace Distill.Web.Components.Shared;

/// <summary>
/// The field errors a catalog or launcher returned, keyed by the request's JSON names, for a form to show on the
/// inputs they belong to. A form field may stand for several request fields (one "limits" error, two inputs).
/// </summary>
public sealed class FieldErrors(IReadOnlyDictionary<string, string[]>? errors = null)
{
    private readonly Dictionary<string, string[]> _errors = errors is null ? [] : new(errors, StringComparer.Ordinal);

    public static FieldErrors None { get; } = new();

    public bool Any => _errors.Count > 0;

    public bool Has(params string[] fields) => fields.Any(_errors.ContainsKey);

    public string? Text(params string[] fields)
    {
        var messages = fields.Where(_errors.ContainsKey).SelectMany(f => _errors[f]).ToArray();
        return messages.Length == 0 ? null : string.Join(" ", messages);
    }

    /// <summary>Errors of fields the form has no input for, so that no reason from the server goes unshown.</summary>
    public IEnumerable<string> Except(params string[] shown) =>
        _errors.Where(e => !shown.Contains(e.Key, StringComparer.Ordinal)).SelectMany(e => e.Value);
}
