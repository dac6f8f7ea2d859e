namespace Distill.Testing.FakeTeacher;

/// <summary>Completions sent with <c>store: true</c>, listable by metadata as OpenAI's stored completions are. TEST FIXTURE.</summary>
public sealed class FakeTeacherStore
{
    private readonly List<StoredCompletion> _completions = [];

    public int Count
    {
        get
        {
            lock (_completions)
            {
                return _completions.Count;
            }
        }
    }

    public void Add(string id, string model, IReadOnlyDictionary<string, string> metadata, byte[] json)
    {
        lock (_completions)
        {
            _completions.Add(new StoredCompletion(id, model, metadata, json));
        }
    }

    /// <summary>One page: every metadata pair must match; <paramref name="after"/> is the last id of the previous page.</summary>
    public (IReadOnlyList<StoredCompletion> Page, bool HasMore) List(IReadOnlyDictionary<string, string> metadata, string? model, string? after, int limit, bool descending)
    {
        lock (_completions)
        {
            IEnumerable<StoredCompletion> matching = _completions.Where(c =>
                (model is null || c.Model == model) && metadata.All(m => c.Metadata.TryGetValue(m.Key, out var v) && v == m.Value));
            if (descending)
            {
                matching = matching.Reverse();
            }

            var ordered = matching.ToList();
            var start = after is null ? 0 : ordered.FindIndex(c => c.Id == after) + 1;
            var page = ordered.Skip(start).Take(limit).ToList();
            return (page, start + page.Count < ordered.Count);
        }
    }

    public sealed record StoredCompletion(string Id, string Model, IReadOnlyDictionary<string, string> Metadata, byte[] Json);
}
