namespace Distill.Trainer.Tokenization;

/// <summary>
/// Every id a checkpoint's tokenizer can produce: the model's own tokens plus the added tokens layered on top
/// (which may reuse a model token's id when the content is the same, as Llama 2's &lt;s&gt; does).
/// </summary>
internal sealed class Vocabulary
{
    private readonly string?[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<int, AddedToken> _added;

    public Vocabulary(IReadOnlyDictionary<string, int> modelTokens, IEnumerable<AddedToken> addedTokens, string source)
    {
        _ids = new Dictionary<string, int>(modelTokens, StringComparer.Ordinal);
        _added = [];
        var byId = modelTokens.ToDictionary(kv => kv.Value, kv => kv.Key);
        if (byId.Count != modelTokens.Count)
        {
            var shared = modelTokens.GroupBy(kv => kv.Value).First(g => g.Count() > 1);
            throw new InvalidDataException($"{source}: id {shared.Key} is given to more than one token ('{string.Join("', '", shared.Select(kv => kv.Key))}').");
        }

        foreach (var token in addedTokens)
        {
            if (_added.TryGetValue(token.Id, out var known))
            {
                if (known.Content != token.Content)
                {
                    throw new InvalidDataException($"{source}: added token id {token.Id} is '{known.Content}' in one place and '{token.Content}' in another.");
                }

                continue;
            }

            if (byId.TryGetValue(token.Id, out var modelToken) && modelToken != token.Content)
            {
                throw new InvalidDataException($"{source}: added token '{token.Content}' takes id {token.Id}, which the model vocabulary gives to '{modelToken}'.");
            }

            if (_ids.TryGetValue(token.Content, out var otherId) && otherId != token.Id)
            {
                throw new InvalidDataException($"{source}: added token '{token.Content}' has id {token.Id}, but the vocabulary already maps it to {otherId}.");
            }

            _added[token.Id] = token;
            _ids[token.Content] = token.Id;
            byId[token.Id] = token.Content;
        }

        Size = byId.Count == 0 ? 0 : byId.Keys.Max() + 1;
        _tokens = new string?[Size];
        foreach (var (id, token) in byId)
        {
            _tokens[id] = token;
        }

        AddedTokens = _added.Values.OrderBy(t => t.Id).ToArray();
    }

    /// <summary>One past the highest id; ids nobody uses inside that range are gaps.</summary>
    public int Size { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public IReadOnlyList<string?> TokensById => _tokens;

    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    public string? TokenOf(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;

    public AddedToken? AddedTokenOf(int id) => _added.GetValueOrDefault(id);

    public void CheckId(int id)
    {
        if (TokenOf(id) is null)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in this tokenizer's vocabulary of {Size}.");
        }
    }
}
